/// BTFS quantities: storage prices (`250 µBTT/GiB/d`, `0.25 BTT/TiB/d`), in µBTT (ledger
/// base units) per GiB per day, the unit BTFS quotes them in; and file sizes for
/// distributions, in bytes. Prices are drawn from distributions per host, so they are
/// `Double`s like seeding costs; the amounts that move are rounded to base units.
extension Units {
    static let storagePriceExample = "expected a storage price such as \"250 µBTT/GiB/d\""
    static let storagePriceTokens: [(name: String, baseUnits: Double)] = [("BTT", 1e6), ("µBTT", 1), ("uBTT", 1)]

    static func storagePrice(_ text: String, allowZero: Bool) throws(Problem) -> Double {
        guard let (value, rest) = scanNumber(text) else { throw Problem("\(storagePriceExample), got \(quoted(text))") }
        let parts = rest.drop(while: { $0 == " " }).split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).trimmingSpaces() }
        guard parts.count == 3, !parts[0].isEmpty else {
            throw Problem("\(storagePriceExample), got \(quoted(text)) (token/size/time)")
        }
        guard let token = storagePriceTokens.first(where: { $0.name == parts[0] })?.baseUnits else {
            throw unknownUnit(parts[0], in: text, kind: "token", names: storagePriceTokens.map(\.name))
        }
        guard let bytes = sizeUnits.first(where: { $0.name == parts[1] })?.bytes else {
            throw unknownUnit(parts[1], in: text, kind: "size", names: sizeUnits.map(\.name))
        }
        guard let nanoseconds = timeUnits.first(where: { $0.name == parts[2] })?.nanoseconds else {
            throw unknownUnit(parts[2], in: text, kind: "time", names: timeUnits.map(\.name))
        }
        guard value >= 0 else { throw Problem("must not be negative, got \(quoted(text))") }
        guard allowZero || value > 0 else { throw Problem("must be positive, got \(quoted(text))") }
        return value * token * (Double(1 << 30) / bytes) * (86_400e9 / nanoseconds)
    }

    /// A size in bytes, for distributions of sizes; zero only when `allowZero`.
    static func sizeBytes(_ text: String, allowZero: Bool) throws(Problem) -> Double {
        if allowZero, let (value, _) = scanNumber(text), value == 0 { return 0 }
        return Double(try size(text))
    }
}

extension QuantityKind {
    /// Storage prices (`storage.hosts[].price`), in µBTT per GiB per day.
    static let storagePrice = QuantityKind(
        expected: Units.storagePriceExample,
        read: { text, allowZero throws(Units.Problem) in try Units.storagePrice(text, allowZero: allowZero) },
        units: [("µBTT/GiB/d", 1), ("BTT/GiB/d", 1e6)],
        unitNoun: "price unit", bareNumberMeaning: "µBTT per GiB per day",
        examples: (
            mean: "250 µBTT/GiB/d", scale: "250 µBTT/GiB/d", low: "100 µBTT/GiB/d", high: "500 µBTT/GiB/d",
            unit: "µBTT/GiB/d"
        ))

    /// File sizes (`storage.renters[].file_size`), in bytes.
    static let fileSize = QuantityKind(
        expected: Units.sizeExample,
        read: { text, allowZero throws(Units.Problem) in try Units.sizeBytes(text, allowZero: allowZero) },
        units: Units.sizeUnits.map { ($0.name, $0.bytes) },
        unitNoun: "size unit", bareNumberMeaning: "bytes",
        examples: (mean: "100 MiB", scale: "100 MiB", low: "10 MiB", high: "1 GiB", unit: "MiB"))
}
