extension SafeTensorsSource {
    /// The tensor's elements as `Double`: F64 exactly, every other numeric dtype widened as by
    /// `floats(_:)` (for analyses that keep double precision, e.g. CKNNA on F64 features).
    public func doubles(_ name: String) throws -> [Double] {
        guard try info(name).dtype == .f64 else { return try floats(name).map(Double.init) }
        return try withUnsafeRawBytes(of: name) { bytes in
            (0..<(bytes.count / 8)).map { Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }
}
