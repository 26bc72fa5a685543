import CSV
import Foundation

/// A CSV file being built: header, then rows of already-formatted fields. Quoting is left
/// to CSV.swift, so a group name with a comma or a quote stays one field.
public struct CSVTable: Sendable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "row has \(row.count) fields, header \(header.count)")
        rows.append(row)
    }

    /// The file's text, each line ending in a newline.
    public func encoded() throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row) }
        guard var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw CocoaError(.fileWriteUnknown)
        }
        data.append(0x0A)
        return data
    }
}

/// Fixed-point formatting, so the same value always prints the same text on every machine.
public enum CSVFormat {
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// Seconds with microsecond resolution; empty for a missing value.
    public static func seconds(_ value: Double?) -> String { value.map { fixed($0, 6) } ?? "" }

    public static func optional(_ value: Double?, _ decimals: Int) -> String { value.map { fixed($0, decimals) } ?? "" }
}
