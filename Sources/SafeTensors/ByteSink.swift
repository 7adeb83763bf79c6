import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A destination for the bytes of a file being written.
protocol ByteSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Collects bytes in memory.
struct ByteArraySink: ByteSink {
    var bytes: [UInt8] = []

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes)
    }
}

/// Writes bytes to an open file descriptor, retrying short writes and interruptions.
struct FileDescriptorSink: ByteSink {
    let descriptor: Int32
    /// The path reported in errors (the destination, not the temporary file).
    let path: String

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(descriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw SafeTensorsError.fromErrno(path: path, operation: "write")
            }
            next += written
            remaining -= written
        }
    }
}
