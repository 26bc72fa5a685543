#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads small text files (scenarios, empirical samples) with the operating system's own
/// reason on failure ("No such file or directory"), which is what a user needs to fix it.
enum TextFile {
    /// Files larger than this are not scenarios or sample lists; refusing them keeps a
    /// mistyped path (a video, a disk image) from exhausting memory.
    static let maximumBytes = 64 << 20

    static func read(_ path: String) -> Result<String, ReadFailure> {
        guard let handle = fopen(path, "rb") else { return .failure(ReadFailure(reason: currentErrno())) }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            bytes += chunk[0..<count]
            if bytes.count > maximumBytes { return .failure(ReadFailure(reason: "larger than 64 MiB")) }
            if count < chunk.count { break }
        }
        if ferror(handle) != 0 { return .failure(ReadFailure(reason: currentErrno())) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(ReadFailure(reason: "not UTF-8 text"))
        }
        return .success(text)
    }

    /// The folder of `path`, for resolving paths written relative to a scenario file.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `relative` resolved against `directory`, unless it is absolute already.
    static func resolve(_ relative: String, in directory: String) -> String {
        if relative.hasPrefix("/") || directory == "." { return relative }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    private static func currentErrno() -> String {
        String(cString: strerror(errno))
    }
}

struct ReadFailure: Error {
    let reason: String
}
