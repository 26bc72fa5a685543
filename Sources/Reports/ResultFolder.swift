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
        let staging = sibling("staging")
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
            throw ResultFolderError(path: path, reason: ResultFolderError.reason(error))
        }
    }
}

extension ResultFolder {
    /// Replaces the whole folder with `files` (paths relative to it, in subfolders as
    /// needed): nothing written by an earlier run survives, and a failure leaves the old
    /// folder as it was. The new tree is staged beside the target and swapped in by two
    /// renames, so readers see either the old folder or the new one. Subfolders named in
    /// `keeping` that the new tree does not write are carried over (a scenario's `sweep/`,
    /// which is an experiment of its own, when its compare is rewritten).
    public func replace(with files: [(path: String, data: Data)], keeping: [String] = []) throws(ResultFolderError) {
        let fm = FileManager.default
        let parent = (path as NSString).deletingLastPathComponent
        let staging = sibling("staging")
        let retired = sibling("replaced")
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try? fm.removeItem(atPath: staging)
            try? fm.removeItem(atPath: retired)
            for f in files {
                let target = staging + "/" + f.path
                try fm.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try f.data.write(to: URL(fileURLWithPath: target))
            }
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for kept in keeping where fm.fileExists(atPath: path + "/" + kept) {
                guard !fm.fileExists(atPath: staging + "/" + kept) else { continue }
                try fm.copyItem(atPath: path + "/" + kept, toPath: staging + "/" + kept)
            }
            if fm.fileExists(atPath: path) { try fm.moveItem(atPath: path, toPath: retired) }
            do {
                try fm.moveItem(atPath: staging, toPath: path)
            } catch {
                if fm.fileExists(atPath: retired) { try? fm.moveItem(atPath: retired, toPath: path) }
                throw error
            }
            try? fm.removeItem(atPath: retired)
        } catch {
            try? fm.removeItem(atPath: staging)
            throw ResultFolderError(path: path, reason: ResultFolderError.reason(error))
        }
    }

    /// Fails now, before hours of runs, when results could not be written under the
    /// folder's parent (missing permissions, a read-only or virtual file system).
    public func checkWritable() throws(ResultFolderError) {
        let fm = FileManager.default
        let parent = (path as NSString).deletingLastPathComponent
        let probe =
            parent + "/.probe-\(ProcessInfo.processInfo.processIdentifier)-\((path as NSString).lastPathComponent)"
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: probe))
            try fm.removeItem(atPath: probe)
        } catch {
            throw ResultFolderError(path: path, reason: ResultFolderError.reason(error))
        }
    }
}

extension ResultFolder {
    /// A hidden path beside the folder for `purpose`, unique to this process.
    fileprivate func sibling(_ purpose: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent
            + "/.\(purpose)-\(ProcessInfo.processInfo.processIdentifier)-\((path as NSString).lastPathComponent)"
    }
}

public struct ResultFolderError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    /// The operating system's own words ("Permission denied") where Foundation has them;
    /// its generic description says only that the operation failed.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return ns.localizedDescription
    }

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
