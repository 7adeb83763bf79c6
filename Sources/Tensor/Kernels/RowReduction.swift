/// Sums, maxima and dot products of float rows, vectorised.
///
/// A plain loop `s += x[i]` stays scalar: LLVM must keep float additions in order. These keep 16
/// running values in a `SIMD16<Float>` instead, which compiles to one AVX-512 instruction (or two
/// AVX2 ones) per 16 floats — checked in the generated assembly. (SIMD types are scalarised when
/// they call inlined math such as `FastMath.exp`, DESIGN.md §5; loads, adds, multiplies and
/// masked replacement are not.) Results differ from in-order sums by float rounding only.
enum RowReduction {
    /// x[0] + … + x[n−1].
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            lanes += load(x, i)
            i += 16
        }
        var total = lanes.sum()
        while i < n { total += x[i]; i += 1 }
        return total
    }

    /// x[0]·y[0] + … + x[n−1]·y[n−1].
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            lanes += load(x, i) * load(y, i)
            i += 16
        }
        var total = lanes.sum()
        while i < n { total += x[i] * y[i]; i += 1 }
        return total
    }

    /// Σ x[i]·y[i]·z[i].
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            lanes += load(x, i) * load(y, i) * load(z, i)
            i += 16
        }
        var total = lanes.sum()
        while i < n { total += x[i] * y[i] * z[i]; i += 1 }
        return total
    }

    /// Σ (x[i] − mean)².
    @inline(__always)
    static func sumOfSquaredDeviations(_ x: UnsafePointer<Float>, _ n: Int, from mean: Float) -> Float {
        var lanes = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            let d = load(x, i) - mean
            lanes += d * d
            i += 16
        }
        var total = lanes.sum()
        while i < n { total += (x[i] - mean) * (x[i] - mean); i += 1 }
        return total
    }

    /// The largest element (−∞ for an empty row; NaNs are skipped).
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        while i + 16 <= n {
            let values = load(x, i)
            lanes.replace(with: values, where: values .> lanes)
            i += 16
        }
        var largest = -Float.infinity
        for lane in 0..<16 where lanes[lane] > largest { largest = lanes[lane] }
        while i < n {
            if x[i] > largest { largest = x[i] }
            i += 1
        }
        return largest
    }

    /// Σ e^(x[i] − shift), the exponentials computed in blocks (a vectorised loop into a stack
    /// buffer) and summed with `sum`.
    @inline(__always)
    static func sumOfExponentials(_ x: UnsafePointer<Float>, _ n: Int, minus shift: Float) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { buffer in
            let block = buffer.baseAddress!
            var total: Float = 0
            var start = 0
            while start < n {
                let count = Swift.min(256, n - start)
                let source = x + start
                for i in 0..<count { block[i] = FastMath.exp(source[i] - shift) }
                total += sum(block, count)
                start += count
            }
            return total
        }
    }

    @inline(__always)
    static func load(_ x: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
        UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
    }
}
