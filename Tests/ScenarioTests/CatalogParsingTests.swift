import SimKernel
import Testing

@testable import Scenario

/// `catalog:` (docs/scenarios.md, "Catalogues"): many torrents instead of one.
@Suite struct CatalogParsingTests {
    /// `document()` with `catalog: <catalog>` on line 3 instead of its torrent.
    static func catalogue(_ catalog: String) -> String {
        document().replacingOccurrences(of: "torrent: {size: 1 MiB}", with: "catalog: \(catalog)")
    }

    @Test func aCatalogueReadsItsSizesPopularityAndReleases() throws {
        let s = try parse(
            Self.catalogue(
                "{torrents: 100, size: {exponential: {mean: 50 MiB}}, piece_size: 512 KiB, popularity: {zipf: 0.8}, release: {uniform: {min: 0 s, max: 10 d}}}"
            ))
        let catalog = try #require(s.catalog)
        #expect(catalog.torrents == 100)
        #expect(catalog.size == .exponential(mean: 50 * 1_048_576))
        #expect(catalog.pieceSizeBytes == 524_288 && s.torrent.pieceSizeBytes == 524_288)
        #expect(catalog.popularity == .zipf(exponent: 0.8))
        #expect(catalog.release == .uniform(min: 0, max: 864_000))
    }

    @Test func defaultsAreUniformPopularityAllReleasedAtTheStart() throws {
        let catalog = try #require(try parse(Self.catalogue("{torrents: 3, size: 10 MiB}")).catalog)
        #expect(catalog.popularity == .zipf(exponent: 0))
        #expect(catalog.release == .constant(0))
        #expect(catalog.pieceSizeBytes == 262_144)
        #expect(catalog.size == .constant(10_485_760))
        #expect(try parse(document()).catalog == nil)
    }

    @Test func aListOfWeightsGivesTheCount() throws {
        let catalog = try #require(try parse(Self.catalogue("{size: 1 MiB, popularity: [5, 2, 1]}")).catalog)
        #expect(catalog.torrents == 3)
        #expect(catalog.popularity == .weights([5, 2, 1]))
    }

    @Test func bundlesCountTheirFilesWeights() throws {
        let catalog = try #require(
            try parse(Self.catalogue("{size: 1 MiB, bundle: 2, popularity: [5, 4, 3, 2, 1, 1]}")).catalog)
        #expect(catalog.torrents == 3 && catalog.bundle == 2 && catalog.files == 6)
        #expect(try parse(Self.catalogue("{torrents: 2, size: 1 MiB}")).catalog?.bundle == 1)
        expectError(
            Self.catalogue("{torrents: 2, size: 1 MiB, bundle: 0}"), prefix: "x.yaml:3 catalog.bundle: ", "at least 1")
        expectError(
            Self.catalogue("{size: 1 MiB, bundle: 2, popularity: [5, 4, 3]}"), prefix: "x.yaml:3 catalog.popularity: ",
            "not a whole number of bundles of 2")
        expectError(
            Self.catalogue("{torrents: 2, size: 1 MiB, bundle: 2, popularity: [5, 4, 3, 2, 1, 1]}"),
            prefix: "x.yaml:3 catalog.torrents: ", "one weight per file")
    }

    @Test func badCataloguesNameTheKey() {
        expectError(Self.catalogue("{size: 1 MiB}"), prefix: "x.yaml:3 catalog.torrents: ", "required")
        expectError(Self.catalogue("{torrents: 0, size: 1 MiB}"), prefix: "x.yaml:3 catalog.torrents: ", "at least 1")
        expectError(
            Self.catalogue("{torrents: 20000, size: 1 MiB}"), prefix: "x.yaml:3 catalog.torrents: ", "at most 10000")
        expectError(
            Self.catalogue("{torrents: 3, size: 1 MiB, popularity: {zipf: -1}}"),
            prefix: "x.yaml:3 catalog.popularity.zipf: ", "from 0 (uniform)")
        expectError(
            Self.catalogue("{torrents: 3, size: 1 MiB, popularity: {pareto: 1}}"),
            prefix: "x.yaml:3 catalog.popularity.pareto: ", "unknown popularity law")
        expectError(
            Self.catalogue("{torrents: 2, size: 1 MiB, popularity: [5, 2, 1]}"),
            prefix: "x.yaml:3 catalog.torrents: ", "one weight per file")
        expectError(
            Self.catalogue("{size: 1 MiB, popularity: [5, 0]}"), prefix: "x.yaml:3 catalog.popularity[1]: ",
            "positive weight")
        expectError(
            Self.catalogue("{size: 1 MiB, popularity: []}"), prefix: "x.yaml:3 catalog.popularity: ", "at least one")
        expectError(
            Self.catalogue("{torrents: 2, size: 1 MiB, piece_size: 10 KiB}"), prefix: "x.yaml:3 catalog.piece_size: ",
            "multiple of 16 KiB")
        expectError(
            Self.catalogue("{torrents: 2, size: 1 MiB, release: -1 h}"), prefix: "x.yaml:3 catalog.release: ",
            "negative")
        expectError(
            Self.catalogue("{torrents: 2, size: {uniform: {min: 2 MiB, max: 1 MiB}}}"),
            prefix: "x.yaml:3 catalog.size.uniform")
        expectError(Self.catalogue("{torrents: 2, size: 0 B}"), prefix: "x.yaml:3 catalog.size: ", "at least one byte")
        expectError(Self.catalogue("{torrents: 2, sizes: 1 MiB}"), prefix: "x.yaml:3 catalog.sizes: ", "size")
        expectError(
            document(extra: "catalog: {torrents: 2, size: 1 MiB}"), prefix: "x.yaml:3 torrent: ", "either torrent")
    }

    @Test func catalogueKeysCanBeOverridden() throws {
        let s = try parse(
            Self.catalogue("{torrents: 3, size: 1 MiB}"),
            overrides: [
                Override(path: "catalog.torrents", value: "7"),
                Override(path: "catalog.popularity", value: "{zipf: 1}"),
            ])
        #expect(s.catalog?.torrents == 7 && s.catalog?.popularity == .zipf(exponent: 1))
    }

    /// A group with `downloads:` is a group of users (docs/scenarios.md, "Users").
    @Test func usersReadTheirDownloads() throws {
        let yaml = Self.catalogue("{torrents: 10, size: 1 MiB}").replacingOccurrences(
            of: "count: 3, arrival: {at: 0 s},",
            with: "count: 3, arrival: {at: 0 s}, downloads: {count: {uniform: {min: 1, max: 4}}, interval: 2 h},")
        let s = try parse(yaml)
        #expect(s.peers[1].downloads == UserDownloads(count: .uniform(min: 1, max: 4), interval: .constant(7200)))
        #expect(s.peers[0].downloads == nil)
    }

    @Test func badUsersNameTheKey() {
        let crowd = "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s"
        func users(_ downloads: String, catalog: String? = "{torrents: 4, size: 1 MiB}", extra: String = "") -> String {
            let doc = document(crowd: crowd + ", downloads: \(downloads)" + extra)
            return catalog.map { doc.replacingOccurrences(of: "torrent: {size: 1 MiB}", with: "catalog: \($0)") } ?? doc
        }
        expectError(users("{count: 5}"), prefix: "x.yaml:6 peers[1].downloads.count: ", "up to 5 torrents", "has 4")
        expectError(
            users("{count: {uniform: {min: 1, max: 9}}}"), prefix: "x.yaml:6 peers[1].downloads.count: ", "has 4")
        expectError(users("{count: 2}", catalog: nil), prefix: "x.yaml:6 peers[1].downloads: ", "catalog")
        expectError(users("{count: 2}", extra: ", has_file: true"), prefix: "x.yaml:6 peers[1].downloads: ", "has_file")
        expectError(users("{count: -1}"), prefix: "x.yaml:6 peers[1].downloads.count: ", "number")
        expectError(users("{interval: 1 h}"), prefix: "x.yaml:6 peers[1].downloads.count: ", "required")
        expectError(users("{count: 2, every: 1 h}"), prefix: "x.yaml:6 peers[1].downloads.every: ", "interval")
        expectError(users("{count: 2, interval: -1 h}"), prefix: "x.yaml:6 peers[1].downloads.interval: ", "negative")
    }

    /// `uptime:` on a publisher (docs/scenarios.md, "Publishers that come and go").
    @Test func publishersMayComeAndGo() throws {
        let yaml = document().replacingOccurrences(
            of: "has_file: true,", with: "has_file: true, uptime: {on: 2 h, off: {exponential: {mean: 6 h}}},")
        let s = try parse(yaml)
        #expect(s.peers[0].uptime == Uptime(on: .constant(7200), off: .exponential(mean: 21_600)))
        #expect(s.peers[1].uptime == nil)
        expectError(
            document(crowd: "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, uptime: {on: 1 h, off: 1 h}"),
            prefix: "x.yaml:6 peers[1].uptime: ", "has_file: true")
        expectError(
            document().replacingOccurrences(
                of: "has_file: true,", with: "has_file: true, uptime: {on: 0 s, off: 1 h},"),
            prefix: "x.yaml:5 peers[0].uptime.on: ", "positive mean")
        expectError(
            document().replacingOccurrences(
                of: "has_file: true,",
                with: "has_file: true, seeding: {rational: {cost: 1 BTT/h}}, uptime: {on: 1 h, off: 1 h},"),
            prefix: "x.yaml:5 peers[0].uptime: ", "rationally")
        expectError(
            document().replacingOccurrences(of: "has_file: true,", with: "has_file: true, uptime: {on: 1 h},"),
            prefix: "x.yaml:5 peers[0].uptime.off: ", "required")
    }
}
