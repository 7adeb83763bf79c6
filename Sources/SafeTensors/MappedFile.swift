import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory (`mmap`, `MAP_PRIVATE`); unmapped on deinit.
///
/// Mapping costs nothing up front: pages are read from disk (or the page cache) only when
/// touched, so opening a 14 GB checkpoint reads just the pages of its header.
final class MappedFile {
    /// The file's path, for error messages.
    let path: String
    /// The file's bytes; valid until this object is deinitialised.
    let bytes: UnsafeRawBufferPointer

    /// Maps the regular file at `path`.
    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SafeTensorsError.fromErrno(path: path, operation: "open") }
        // The mapping stays valid after the descriptor is closed.
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SafeTensorsError.fromErrno(path: path, operation: "stat")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw SafeTensorsError.fileSystem(path: path, operation: "read", reason: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            // mmap rejects empty mappings; an empty file has no bytes to show.
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw SafeTensorsError.fromErrno(path: path, operation: "memory-map")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
