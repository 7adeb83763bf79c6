import Foundation
import XCTest

/// The built `viral` executable, for tests that run it as a user would. The Makefile's test
/// command builds it before the tests; when it is missing the test is skipped with a message.
enum ViralProcess {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// `viral` in the build products folder that holds the test bundle.
    static func executable() throws -> URL {
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent(),
                          Bundle.main.bundleURL.deletingLastPathComponent(),
                          Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()].compactMap { $0 }
        for folder in candidates {
            let url = folder.appendingPathComponent("viral")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw XCTSkip("the viral executable is not beside the test bundle (looked in \(candidates.map(\.path))); build it with `swift build` first")
    }

    /// Runs `viral` to completion.
    static func run(_ arguments: [String]) throws -> Result {
        let process = try start(arguments)
        let output = process.standardOutput as! Pipe, error = process.standardError as! Pipe
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Starts `viral` with piped output and returns the running process.
    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
    }

    private final class Marker {}
}
