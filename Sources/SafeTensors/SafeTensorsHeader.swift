import JSON
/// The validated JSON header of a safetensors file.
///
/// Validation follows the Rust `safetensors` crate (the reference reader behind the Python
/// package): every entry has a known dtype, a shape of non-negative integers and two
/// `data_offsets` whose span equals shape × dtype size; sorted by offset, the tensors tile the
/// data buffer exactly — starting at 0, no overlap, no gap, no trailing bytes. In addition,
/// duplicate tensor names are rejected (the crate's JSON map silently keeps the last one).
struct SafeTensorsHeader {
    /// The largest header accepted, as in the Rust crate (100 MB).
    static let maximumByteCount = 100_000_000

    /// Every tensor, by name.
    let tensors: [String: TensorInfo]
    /// The `__metadata__` map; empty when the header has none.
    let metadata: [String: String]

    private static let metadataKey = "__metadata__"

    /// Parses and validates the header `bytes` of the file at `path`, whose data buffer (the
    /// bytes after the header) is `dataByteCount` long.
    init(bytes: UnsafeRawBufferPointer, dataByteCount: Int, path: String) throws {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch let error as JSONSyntaxError {
            throw SafeTensorsError.invalidFile(path: path, problem: "malformed header JSON: \(error)")
        }
        guard case let .object(members) = json else {
            throw SafeTensorsError.invalidFile(
                path: path, problem: "the header JSON is \(json.typeName), not an object")
        }
        var tensors = [String: TensorInfo](minimumCapacity: members.count)
        var metadata: [String: String]?
        for (key, value) in members {
            if key == Self.metadataKey {
                guard metadata == nil else {
                    throw SafeTensorsError.invalidFile(path: path, problem: "duplicate \"\(key)\" entry")
                }
                metadata = try Self.parseMetadata(value, path: path)
            } else {
                guard tensors[key] == nil else {
                    throw SafeTensorsError.invalidTensor(
                        path: path, tensor: key, problem: "duplicate tensor name in the header")
                }
                let entry = TensorEntry(name: key, path: path)
                tensors[key] = try entry.parse(value, dataByteCount: dataByteCount)
            }
        }
        try Self.checkTiling(of: tensors, dataByteCount: dataByteCount, path: path)
        self.tensors = tensors
        self.metadata = metadata ?? [:]
    }

    private static func parseMetadata(_ value: JSONValue, path: String) throws -> [String: String] {
        func failure(_ problem: String) -> SafeTensorsError {
            .invalidFile(path: path, problem: "\"\(metadataKey)\" \(problem)")
        }
        switch value {
        case .null:
            return [:]
        case let .object(entries):
            var metadata = [String: String](minimumCapacity: entries.count)
            for (key, entry) in entries {
                guard case let .string(text) = entry else {
                    throw failure("value of key '\(key)' is \(entry.typeName), not a string")
                }
                guard metadata.updateValue(text, forKey: key) == nil else {
                    throw failure("has the key '\(key)' twice")
                }
            }
            return metadata
        default:
            throw failure("is \(value.typeName), not an object of strings")
        }
    }

    /// Checks that the tensors, sorted by offset, cover the data buffer exactly.
    private static func checkTiling(
        of tensors: [String: TensorInfo], dataByteCount: Int, path: String
    ) throws {
        let byOffset = tensors.sorted { left, right in
            let (l, r) = (left.value.byteRange, right.value.byteRange)
            if l.lowerBound != r.lowerBound { return l.lowerBound < r.lowerBound }
            if l.upperBound != r.upperBound { return l.upperBound < r.upperBound }
            return bytewiseLess(left.key, right.key)
        }
        var covered = 0
        var previous: (name: String, info: TensorInfo)?
        for (name, info) in byOffset {
            let range = info.byteRange
            if range.lowerBound < covered, let previous {
                throw SafeTensorsError.invalidTensor(
                    path: path, tensor: name,
                    problem: "data_offsets \(format(range)) overlap tensor '\(previous.name)' "
                        + "\(format(previous.info.byteRange))")
            }
            if range.lowerBound > covered {
                let problem = previous.map {
                    "gap of \(range.lowerBound - covered) bytes between the end of tensor '\($0.name)' "
                        + "(offset \(covered)) and this tensor's data_offsets \(format(range))"
                } ?? "data_offsets \(format(range)) leave bytes 0..<\(range.lowerBound) of the data "
                    + "buffer to no tensor (the first tensor must start at offset 0)"
                throw SafeTensorsError.invalidTensor(path: path, tensor: name, problem: problem)
            }
            covered = range.upperBound
            previous = (name, info)
        }
        if covered != dataByteCount {
            throw SafeTensorsError.invalidFile(
                path: path,
                problem: "the tensors cover \(covered) bytes but the data buffer holds \(dataByteCount): "
                    + "\(dataByteCount - covered) trailing bytes belong to no tensor")
        }
    }
}

/// The validation of one tensor's header entry.
private struct TensorEntry {
    let name: String
    let path: String

    func parse(_ value: JSONValue, dataByteCount: Int) throws -> TensorInfo {
        guard case let .object(fields) = value else {
            throw failure("the entry is \(value.typeName), not an object")
        }
        var dtypeValue: JSONValue?
        var shapeValue: JSONValue?
        var offsetsValue: JSONValue?
        for (field, fieldValue) in fields {
            switch field {
            case "dtype": try assign(fieldValue, to: &dtypeValue, field: field)
            case "shape": try assign(fieldValue, to: &shapeValue, field: field)
            case "data_offsets": try assign(fieldValue, to: &offsetsValue, field: field)
            default: continue  // The Rust crate ignores unknown fields, so we do too.
            }
        }
        let dtype = try parseDType(dtypeValue)
        let shape = try parseShape(shapeValue)
        let range = try parseOffsets(offsetsValue)
        guard let byteCount = checkedByteCount(shape: shape, dtype: dtype) else {
            throw failure("shape \(format(shape)) of \(dtype.name) overflows 64-bit byte counts")
        }
        guard range.end >= range.begin else {
            throw failure("data_offsets [\(range.begin), \(range.end)] end before they begin")
        }
        guard range.end <= dataByteCount else {
            throw failure("data_offsets [\(range.begin), \(range.end)] lie outside the data buffer "
                + "of \(dataByteCount) bytes")
        }
        guard range.end - range.begin == byteCount else {
            throw failure("shape \(format(shape)) of \(dtype.name) needs \(byteCount) bytes but "
                + "data_offsets [\(range.begin), \(range.end)] span \(range.end - range.begin)")
        }
        return TensorInfo(dtype: dtype, shape: shape, byteRange: range.begin..<range.end)
    }

    private func assign(_ value: JSONValue, to slot: inout JSONValue?, field: String) throws {
        guard slot == nil else { throw failure("duplicate field '\(field)'") }
        slot = value
    }

    private func parseDType(_ value: JSONValue?) throws -> DType {
        guard let value else { throw failure("missing field 'dtype'") }
        guard case let .string(text) = value else {
            throw failure("'dtype' is \(value.typeName), not a string")
        }
        guard let dtype = DType(rawValue: text) else {
            let known = DType.allCases.map(\.name).joined(separator: ", ")
            throw failure("unknown dtype '\(text)' (known: \(known))")
        }
        return dtype
    }

    private func parseShape(_ value: JSONValue?) throws -> [Int] {
        guard let value else { throw failure("missing field 'shape'") }
        guard case let .array(dimensions) = value else {
            throw failure("'shape' is \(value.typeName), not an array")
        }
        return try dimensions.map { dimension in
            guard let size = dimension.nonNegativeInteger else {
                throw failure("'shape' entry \(dimension.briefDescription) is not a non-negative 64-bit integer")
            }
            return size
        }
    }

    private func parseOffsets(_ value: JSONValue?) throws -> (begin: Int, end: Int) {
        guard let value else { throw failure("missing field 'data_offsets'") }
        guard case let .array(offsets) = value, offsets.count == 2 else {
            throw failure("'data_offsets' is not an array of two integers [begin, end]")
        }
        let bounds = try offsets.map { offset in
            guard let bound = offset.nonNegativeInteger else {
                throw failure("'data_offsets' entry \(offset.briefDescription) is not a non-negative 64-bit integer")
            }
            return bound
        }
        return (bounds[0], bounds[1])
    }

    private func failure(_ problem: String) -> SafeTensorsError {
        .invalidTensor(path: path, tensor: name, problem: problem)
    }
}

/// Renders a byte range as the header writes it, `[begin, end]`.
private func format(_ range: Range<Int>) -> String {
    "[\(range.lowerBound), \(range.upperBound)]"
}

/// Renders a shape as the header writes it, `[2, 3]`.
private func format(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
