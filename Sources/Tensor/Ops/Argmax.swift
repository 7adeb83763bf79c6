/// Greedy choices over rows of scores (logits, class scores).
extension Tensor {
    /// The index of the first largest of `count` values: torch.argmax's choice when values tie.
    public static func indexOfFirstMaximum(_ values: UnsafePointer<Float>, count: Int) -> Int {
        var best = 0
        for index in 1..<max(count, 1) where values[index] > values[best] { best = index }
        return best
    }

    /// For each row of the tensor viewed as [rows, last axis], the index of its first maximum.
    public func argmaxOfRows() -> [Int] {
        let width = shape.last ?? 1
        return (0..<(count / max(width, 1))).map { Tensor.indexOfFirstMaximum(data + $0 * width, count: width) }
    }
}
