import Tensor

/// Somewhere parameters can be read from by key: a safetensors checkpoint, a sharded one, or
/// tensors in memory.
public protocol ParameterSource {
    /// A name for messages (a file path).
    var sourceDescription: String { get }
    /// Every key the source holds.
    var keys: [String] { get }
    /// The shape stored under `key`, nil when absent.
    func shape(of key: String) -> [Int]?
    /// Writes the values of `key`, widened to F32, into `destination` (which holds the shape's count).
    func copyFloats(of key: String, into destination: UnsafeMutablePointer<Float>) throws
    /// A view of the stored values of `key` without a copy, when the source can give one: F32
    /// values, or BF16 / F16 ones when `allowingHalfPrecision`; nil when they must be copied.
    func mappedStorage(of key: String, allowingHalfPrecision: Bool) throws -> TensorStorage?
}

extension ParameterSource {
    public func mappedStorage(of key: String, allowingHalfPrecision: Bool) throws -> TensorStorage? { nil }
}

/// Where loaded weights live.
public enum WeightStorage: Sendable {
    /// Copied into memory as F32: what training needs.
    case inMemory
    /// Views of the memory-mapped checkpoint where the stored dtype allows (F32, and BF16 / F16
    /// for weights read only by `linear`/`embedding`); other tensors are widened into memory. The
    /// views are read-only: for inference, where a 7B 16-bit checkpoint then needs no F32 copy.
    case mapped
}

/// Parameters that did not match a checkpoint, all listed at once.
public struct ParameterMismatchError: Error, CustomStringConvertible {
    public let source: String
    public let missing: [String]
    public let unexpected: [String]
    public let wrongShape: [(key: String, expected: [Int], found: [Int])]

    public init(source: String, missing: [String], unexpected: [String], wrongShape: [(key: String, expected: [Int], found: [Int])]) {
        self.source = source
        self.missing = missing
        self.unexpected = unexpected
        self.wrongShape = wrongShape
    }

    public var description: String {
        var lines = ["\(source) does not match the model:"]
        func list(_ title: String, _ items: [String]) {
            guard !items.isEmpty else { return }
            lines.append("  \(title) (\(items.count)): " + items.prefix(12).joined(separator: ", ")
                         + (items.count > 12 ? ", …" : ""))
        }
        list("missing tensors", missing)
        list("unexpected tensors", unexpected)
        list("wrong shapes", wrongShape.map { "\($0.key) expected \($0.expected) found \($0.found)" })
        return lines.joined(separator: "\n")
    }
}

extension Module {
    /// Copies every parameter from `source`, reading the parameter with module key `k` from
    /// source key `sourceKey(k)`. Throws one error listing every missing tensor, every wrong shape
    /// and every source key under `sourcePrefix` that no parameter consumed (unless `ignoring` it).
    /// With `.mapped` storage, parameters become views of the source where it can give them, and
    /// every parameter is frozen (`requiresGrad` false): such a model is for inference.
    public func load(from source: ParameterSource, sourceKey: (String) -> String = { $0 },
                     sourcePrefix: String = "", ignoring: (String) -> Bool = { _ in false },
                     storage: WeightStorage = .inMemory) throws {
        var missing: [String] = [], wrongShape: [(String, [Int], [Int])] = []
        var consumed = Set<String>()
        let parameters = namedParameters
        for (key, tensor) in parameters {
            let stored = sourceKey(key)
            guard let shape = source.shape(of: stored) else { missing.append(stored); continue }
            consumed.insert(stored)
            // A stored [1, n, d] parameter may load into [n, d] and vice versa (same elements).
            guard shape == tensor.shape || Shape.count(shape) == tensor.count && shape.filter({ $0 != 1 }) == tensor.shape.filter({ $0 != 1 })
            else { wrongShape.append((stored, tensor.shape, shape)); continue }
        }
        let unexpected = source.keys.filter { $0.hasPrefix(sourcePrefix) && !consumed.contains($0) && !ignoring($0) }.sorted()
        guard missing.isEmpty, unexpected.isEmpty, wrongShape.isEmpty else {
            throw ParameterMismatchError(source: source.sourceDescription, missing: missing.sorted(),
                                         unexpected: unexpected, wrongShape: wrongShape)
        }
        for (key, tensor) in parameters {
            guard storage == .mapped else { try source.copyFloats(of: sourceKey(key), into: tensor.data); continue }
            tensor.requiresGrad = false
            if let view = try source.mappedStorage(of: sourceKey(key), allowingHalfPrecision: tensor.acceptsHalfPrecision) {
                tensor.replaceStorage(with: view)
            } else {
                try source.copyFloats(of: sourceKey(key), into: tensor.data)
            }
        }
    }
}

/// Tensors held in memory under keys (for tests, and for assembling checkpoints).
public final class InMemoryParameters: ParameterSource {
    public private(set) var tensors: [String: Tensor]
    public let sourceDescription: String

    public init(_ tensors: [String: Tensor], description: String = "in-memory parameters") {
        self.tensors = tensors
        sourceDescription = description
    }

    public var keys: [String] { Array(tensors.keys) }
    public func shape(of key: String) -> [Int]? { tensors[key]?.shape }
    public func copyFloats(of key: String, into destination: UnsafeMutablePointer<Float>) throws {
        guard let t = tensors[key] else { throw ParameterMismatchError(source: sourceDescription, missing: [key], unexpected: [], wrongShape: []) }
        destination.update(from: t.data, count: t.count)
    }
}
