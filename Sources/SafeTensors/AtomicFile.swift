import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files atomically: readers see either the old file or the complete new one, even if the
/// process or machine dies mid-write.
enum AtomicFile {
    /// Lets `produce` write into a temporary file in `url`'s directory, flushes it to disk
    /// (`fsync`), then renames it over `url`. On any failure the temporary file is removed and the
    /// error names `url`.
    static func write(to url: URL, _ produce: (inout FileDescriptorSink) throws -> Void) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporaryPath = directory + "/." + url.lastPathComponent + ".tmp-"
            + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SafeTensorsError.fileSystem(
                path: path, operation: "write",
                reason: "cannot create the temporary file \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        var isRenamed = false
        defer { if !isRenamed { unlink(temporaryPath) } }
        do {
            var sink = FileDescriptorSink(descriptor: descriptor, path: path)
            try produce(&sink)
            guard fsync(descriptor) == 0 else { throw SafeTensorsError.fromErrno(path: path, operation: "flush") }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw SafeTensorsError.fromErrno(path: path, operation: "close") }
        guard rename(temporaryPath, path) == 0 else {
            throw SafeTensorsError.fromErrno(path: path, operation: "rename the temporary file onto")
        }
        isRenamed = true
        syncDirectory(directory)
    }

    /// Flushes the directory entry of a rename to disk. Best effort: some file systems refuse
    /// `fsync` on directories, and the data itself is already safe.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
