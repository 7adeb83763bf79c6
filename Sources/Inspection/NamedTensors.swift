import Foundation
import SafeTensors
import Tensor

/// Named tensors in the order they were computed, under the names of the PyTorch fixtures
/// (`logits`, `hidden_states.N`, `loss`, `grad.<key>`, `pixel_values`, …).
public struct NamedTensors {
    /// The tensors with their names, in order.
    public private(set) var entries: [(name: String, tensor: Tensor)] = []

    /// No tensors.
    public init() {}

    /// The names, in order.
    public var names: [String] { entries.map(\.name) }

    /// The tensor called `name`, if present.
    public subscript(name: String) -> Tensor? { entries.first { $0.name == name }?.tensor }

    /// Adds a tensor; names are unique (the producers never compute one twice).
    mutating func append(_ name: String, _ tensor: Tensor) {
        precondition(self[name] == nil, "tensor \(name) added twice")
        entries.append((name, tensor))
    }

    /// Writes every tensor as F32 to a safetensors file (atomically: a temporary file renamed).
    public func write(to url: URL) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (name, tensor) in entries {
            // Copied while the file is written, so the tensors are never held twice in memory.
            try writer.addDeferred(name, shape: tensor.shape) { buffer in
                buffer.baseAddress!.update(from: tensor.data, count: buffer.count)
            }
        }
        try writer.write(to: url)
    }
}
