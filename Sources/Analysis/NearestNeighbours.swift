/// The k nearest neighbours of every sample under a kernel (largest kernel values), the sample
/// itself excluded: row i of the neighbour mask of CKNNA and mutual k-NN.
struct NearestNeighbours {
    /// Number of neighbours per sample.
    let k: Int
    /// Number of samples.
    let count: Int
    /// `count × k` neighbour indices; each row sorted ascending.
    let indices: [Int]

    /// Selects, per row of the `count × count` kernel `gram`, the k largest values off the
    /// diagonal. Of equal values the lower column index wins (torch.topk leaves ties unspecified).
    init(gram: [Double], count: Int, k: Int) {
        self.k = k
        self.count = count
        var indices = [Int](repeating: 0, count: count * k)
        gram.withUnsafeBufferPointer { gramBuffer in
            indices.withUnsafeMutableBufferPointer { indexBuffer in
                let kernel = SharedReadPointer(base: gramBuffer.baseAddress!)
                let output = SharedPointer(base: indexBuffer.baseAddress!)
                let chunk = 64
                parallelFor((count + chunk - 1) / chunk) { block in
                    var bestValues = [Double](repeating: 0, count: k)
                    var bestIndices = [Int](repeating: 0, count: k)
                    for row in (block * chunk)..<min(count, (block + 1) * chunk) {
                        Self.selectRow(kernel.base + row * count, row: row, count: count, k: k,
                                       values: &bestValues, indices: &bestIndices)
                        bestIndices.sort()
                        for slot in 0..<k { output.base[row * k + slot] = bestIndices[slot] }
                    }
                }
            }
        }
        self.indices = indices
    }

    /// Keeps the k best (value, index) pairs of one kernel row in descending order of value.
    private static func selectRow(_ values: UnsafePointer<Double>, row: Int, count: Int, k: Int,
                                  values best: inout [Double], indices bestIndex: inout [Int]) {
        var filled = 0
        for column in 0..<count where column != row {
            let value = values[column]
            if filled == k && !(value > best[k - 1]) { continue }
            // Insert keeping descending order; a later column never displaces an equal value.
            var slot = filled == k ? k - 1 : filled
            while slot > 0 && value > best[slot - 1] {
                best[slot] = best[slot - 1]
                bestIndex[slot] = bestIndex[slot - 1]
                slot -= 1
            }
            best[slot] = value
            bestIndex[slot] = column
            if filled < k { filled += 1 }
        }
    }

    /// The neighbours of sample `row`, ascending.
    func neighbours(of row: Int) -> ArraySlice<Int> {
        indices[(row * k)..<((row + 1) * k)]
    }

    /// Whether `column` is among the neighbours of `row`.
    func contains(row: Int, column: Int) -> Bool {
        neighbours(of: row).contains(column)
    }
}
