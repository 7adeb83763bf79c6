import Foundation

/// A `config.json` read as a dictionary, with typed look-ups that name the file and key when a
/// value is missing or of the wrong type. (Hugging Face configs vary across versions — e.g.
/// `rope_theta` vs `rope_parameters.rope_theta` — so fields are read by hand, not by `Codable`.)
public struct JSONConfig {
    public let values: [String: Any]
    /// Where the values came from, for messages.
    public let origin: String

    public init(values: [String: Any], origin: String) {
        self.values = values
        self.origin = origin
    }

    /// Reads a JSON object file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError(origin: url.path, message: "cannot be read (\(error.localizedDescription))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let values = object as? [String: Any] else {
            throw ConfigError(origin: url.path, message: "is not a JSON object")
        }
        self.init(values: values, origin: url.path)
    }

    /// A nested object as its own config (e.g. `text_config`).
    public func child(_ key: String) -> JSONConfig? {
        (values[key] as? [String: Any]).map { JSONConfig(values: $0, origin: "\(origin) › \(key)") }
    }

    public func has(_ key: String) -> Bool { values[key] != nil && !(values[key] is NSNull) }

    public func int(_ key: String) throws -> Int {
        guard let value = values[key] else { throw ConfigError(origin: origin, message: "has no \"\(key)\"") }
        guard let number = value as? NSNumber, !(value is Bool) || true else {
            throw ConfigError(origin: origin, message: "\"\(key)\" should be an integer, found \(value)")
        }
        return number.intValue
    }

    public func int(_ key: String, default fallback: Int) throws -> Int { has(key) ? try int(key) : fallback }

    public func float(_ key: String) throws -> Float {
        guard let value = values[key] else { throw ConfigError(origin: origin, message: "has no \"\(key)\"") }
        guard let number = value as? NSNumber else {
            throw ConfigError(origin: origin, message: "\"\(key)\" should be a number, found \(value)")
        }
        return number.floatValue
    }

    public func float(_ key: String, default fallback: Float) throws -> Float { has(key) ? try float(key) : fallback }

    public func string(_ key: String) throws -> String {
        guard let value = values[key] as? String else {
            throw ConfigError(origin: origin, message: has(key) ? "\"\(key)\" should be a string" : "has no \"\(key)\"")
        }
        return value
    }

    public func string(_ key: String, default fallback: String) throws -> String { has(key) ? try string(key) : fallback }

    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard has(key) else { return fallback }
        guard let value = values[key] as? Bool else { throw ConfigError(origin: origin, message: "\"\(key)\" should be true or false") }
        return value
    }

    /// An integer or the first of a list of integers (e.g. `eos_token_id` may be either).
    public func intOrFirst(_ key: String) -> Int? {
        if let n = values[key] as? NSNumber { return n.intValue }
        return (values[key] as? [NSNumber])?.first?.intValue
    }
}

/// A configuration value that is missing, malformed or unsupported.
public struct ConfigError: Error, CustomStringConvertible, LocalizedError {
    public let origin: String
    public let message: String
    public init(origin: String, message: String) {
        self.origin = origin
        self.message = message
    }
    public var description: String { "\(origin): \(message)" }
    public var errorDescription: String? { description }
}
