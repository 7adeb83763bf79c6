import Foundation

/// An n-dimensional array of `Float` in row-major order, with reverse-mode autograd.
///
/// Tensors are reference types so that the autograd graph can refer to them. Ops never modify
/// their inputs; they return new tensors and, when gradients are being recorded, remember how to
/// send gradients back to their inputs (see `Autograd.swift`).
public final class Tensor: @unchecked Sendable {
    /// The size of each axis.
    public let shape: [Int]
    /// The elements (replaced only by `replaceStorage(with:)`, when a checkpoint is mapped in).
    public private(set) var storage: TensorStorage
    /// True for leaves whose gradient should be kept (parameters). Ops set it on their outputs
    /// when they record a backward step.
    public var requiresGrad: Bool
    /// The accumulated gradient, same shape as the tensor (nil until a backward pass reaches it).
    public var grad: Tensor?
    /// The step that produced this tensor, when it was recorded for autograd.
    var node: Node?
    /// True for weight matrices read only by `linear` and `embedding`, which accept BF16 and F16
    /// storage: memory-mapped loading then keeps a 16-bit checkpoint's values 16-bit (see
    /// `StreamedProducts`).
    public var acceptsHalfPrecision = false

    /// Wraps an existing storage; `shape` must describe exactly `storage.count` elements.
    public init(shape: [Int], storage: TensorStorage, requiresGrad: Bool = false) {
        precondition(Shape.count(shape) == storage.count,
                     "shape \(shape) does not match storage of \(storage.count) elements")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A zero-filled tensor.
    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, storage: TensorStorage(count: Shape.count(shape)), requiresGrad: requiresGrad)
    }

    /// An uninitialised tensor, for ops that overwrite every element.
    public convenience init(uninitialized shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(count: Shape.count(shape), zeroed: false))
    }

    /// A zero tensor whose pages take no memory until written (see `RandomGenerator.placeholder`).
    public convenience init(placeholder shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(placeholderCount: Shape.count(shape)))
    }

    /// A tensor filled with one value.
    public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
        self.init(uninitialized: shape)
        data.update(repeating: value, count: count)
        self.requiresGrad = requiresGrad
    }

    /// A tensor holding `values` in row-major order.
    public convenience init(_ values: [Float], shape: [Int], requiresGrad: Bool = false) {
        precondition(values.count == Shape.count(shape), "\(values.count) values for shape \(shape)")
        self.init(uninitialized: shape)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: values.count) }
        self.requiresGrad = requiresGrad
    }

    /// A zero-dimensional tensor.
    public convenience init(scalar: Float) { self.init([scalar], shape: []) }

    /// The elements as a pointer (valid while the tensor lives).
    @inlinable public var data: UnsafeMutablePointer<Float> { storage.base }
    /// The number of elements.
    @inlinable public var count: Int { storage.count }
    /// The number of axes.
    public var rank: Int { shape.count }
    /// The elements as an array.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }
    /// The single element of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item of a tensor with \(count) elements")
        return data[0]
    }

    /// Whether a gradient must flow to this tensor: a parameter or the output of a recorded op.
    public var needsGrad: Bool { requiresGrad || node != nil }

    /// The size of an axis (negative counts from the end).
    public func size(_ axis: Int) -> Int { shape[Shape.axis(axis, rank: rank)] }

    /// Puts `replacement` (same element count) in place of the storage: how a model built from
    /// placeholders takes a memory-mapped checkpoint's tensors without copying them.
    public func replaceStorage(with replacement: TensorStorage) {
        precondition(replacement.count == count, "storage of \(replacement.count) elements for shape \(shape)")
        precondition(!replacement.element.isHalfPrecision || acceptsHalfPrecision, "16-bit storage for a tensor that needs Float")
        storage = replacement
    }

    /// Whether the elements are BF16 or F16 (a memory-mapped weight; see `StreamedProducts`).
    public var isHalfPrecision: Bool { storage.element.isHalfPrecision }

    /// A copy of the values that is not connected to the autograd graph.
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// A new tensor with the same values and its own storage, not connected to the graph.
    public func copy() -> Tensor {
        let result = Tensor(uninitialized: shape)
        result.data.update(from: data, count: count)
        return result
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { String(format: "%.5g", $0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}
