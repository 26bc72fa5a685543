import Foundation

/// Writes CSVs into one folder, all or nothing: files are
/// written into a temporary folder beside the target and moved into place at the end,
/// so a failed run never leaves a partial result in an existing folder.
public struct ResultFolder: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public func write(_ files: [(name: String, table: CSVTable)]) throws(ResultFolderError) {
        let fm = FileManager.default
        let parent = (path as NSString).deletingLastPathComponent
        let staging =
            parent + "/.staging-\(ProcessInfo.processInfo.processIdentifier)-\((path as NSString).lastPathComponent)"
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try? fm.removeItem(atPath: staging)
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for f in files { try f.table.encoded().write(to: URL(fileURLWithPath: staging + "/" + f.name)) }
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            for f in files {
                let target = path + "/" + f.name
                try? fm.removeItem(atPath: target)
                try fm.moveItem(atPath: staging + "/" + f.name, toPath: target)
            }
            try fm.removeItem(atPath: staging)
        } catch {
            try? fm.removeItem(atPath: staging)
            throw ResultFolderError(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}

public struct ResultFolderError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot write results (\(reason))" }
}

/// The process's peak resident memory (VmHWM), in MiB; 0 where /proc is missing.
public func peakResidentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kib = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
        return kib / 1024
    }
    return 0
}
