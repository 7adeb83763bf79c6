import Foundation

/// The process's memory high-water mark.
public enum PeakMemory {
    /// Peak resident set size in bytes (`VmHWM` of /proc/self/status), nil where that file does
    /// not exist (not Linux).
    public static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return parseHighWaterMark(status)
    }

    /// The `VmHWM:  <n> kB` line of a /proc status text, in bytes.
    static func parseHighWaterMark(_ status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        // "VmHWM:\t  153460 kB"; from 8 digits on no space is left between the tab and the number.
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
        return kilobytes * 1024
    }
}
