/// Something tensors can be read from by name: one safetensors file or a (sharded) checkpoint.
public protocol SafeTensorsSource: AnyObject {
    /// Every tensor name, sorted by UTF-8 bytes.
    var names: [String] { get }

    /// Whether a tensor of this name exists.
    func contains(_ name: String) -> Bool

    /// The dtype, shape and byte range of a tensor.
    func info(_ name: String) throws -> TensorInfo

    /// Calls `body` with the tensor's stored bytes (little-endian, row-major, possibly unaligned).
    func withUnsafeRawBytes<Result>(
        of name: String, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result

    /// The tensor's elements widened to `Float`.
    func floats(_ name: String) throws -> [Float]

    /// Writes the tensor's elements, widened to `Float`, to `destination`, which must have room
    /// for `info(name).elementCount` floats.
    func copyFloats(_ name: String, into destination: UnsafeMutablePointer<Float>) throws

    /// The tensor's elements widened to `Int64`; the tensor must hold integers or BOOL.
    func int64s(_ name: String) throws -> [Int64]
}
