import Testing

@testable import Scenario

/// `btsim check`'s warnings: valid scenarios that cannot mean what they seem to
/// (docs/scenarios.md, "Warnings"), each with the file line and the keys concerned.
@Suite struct WarningTests {
    func warnings(_ yaml: String, _ overrides: [Override] = []) throws -> [ScenarioWarning] {
        ScenarioLoader.warnings(of: try parse(yaml, overrides: overrides))
    }

    @Test func aSensibleScenarioHasNone() throws {
        #expect(try warnings(document()).isEmpty)
    }

    @Test func everyBidBelowTheReserveMeansNoTrade() throws {
        let speed = "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, strategy: speed, wallet: 5 BTT"
        let w = try warnings(document(crowd: speed, extra: "incentives: {price: 1 BTT/GiB, reserve: 4 BTT/GiB}"))
        #expect(w.count == 1)
        #expect(
            w.first?.description.hasPrefix("x.yaml:7 incentives.price, incentives.reserve: every fixed bid") == true)
        // At or above the reserve, or with automatic bids, trades can happen.
        #expect(
            try warnings(document(crowd: speed, extra: "incentives: {price: 4 BTT/GiB, reserve: 4 BTT/GiB}")).isEmpty)
        // Only one sweep point has the problem: it is named.
        let sweep = try warnings(
            document(
                crowd: speed,
                extra:
                    "incentives: {reserve: 4 BTT/GiB, price: 4 BTT/GiB}\nsweep:\n  incentives.price: [4 BTT/GiB, 1 BTT/GiB]"
            ))
        #expect(sweep.map(\.context) == ["sweep point 2"])
    }

    @Test func speedPeersWithoutFundsAndRationalSeedingWithoutEarners() throws {
        let poor = try warnings(
            document(crowd: "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, strategy: speed"))
        #expect(poor.map(\.keys) == [["peers.crowd.strategy", "peers.crowd.wallet"]])
        #expect(poor.first?.line == 6)
        // A Speed publisher arrives with the file: it sells slots and never buys one.
        let publisher = "count: 1, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, has_file: true, strategy: speed"
        #expect(try warnings(document(crowd: publisher)).isEmpty)
        let rational =
            "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, seeding: {for: 1 min, rational: {cost: 1 BTT/h}}"
        let nobody = try warnings(document(crowd: rational))
        #expect(nobody.map(\.keys) == [["peers.crowd.seeding.rational"]])
        // A variant that makes the crowd earn is enough.
        let earner = "variants:\n  - {name: paid, set: {peers.crowd.strategy: speed, peers.crowd.wallet: 1 BTT}}"
        #expect(try warnings(document(crowd: rational, extra: earner)).isEmpty)
    }

    @Test func timesThatDefeatTheRun() throws {
        let late = try warnings(
            document(crowd: "count: 3, arrival: {poisson: {rate: 1/min, until: 2 h}}, up: 1 Mbit/s, down: 1 Mbit/s"))
        #expect(late.map(\.keys) == [["peers.crowd.arrival", "duration"]])
        let never = try warnings(document(crowd: "count: 3, arrival: {at: 1 h}, up: 1 Mbit/s, down: 1 Mbit/s"))
        #expect(never.first?.message.contains("at or after `duration`") == true)
        let sampling = try warnings(document(extra: "sample_interval: 1 h"))
        #expect(
            sampling.map(\.description) == [
                "x.yaml:7 sample_interval, duration: `sample_interval` is not shorter than `duration`, so timeseries.csv has at most one sample per run"
            ])
        // Set on the command line: no file line for the key, the nearest one instead.
        let nobody = try warnings(document(), [Override(path: "peers.seed.has_file", value: "false")])
        #expect(nobody.map(\.keys) == [["peers"]] && nobody.first?.line == 4)
    }

    /// 10 000 torrents sampled every 10 s for an hour: 3.6 million rows, no warning; a
    /// day of it, 86 million.
    @Test func aCatalogueSampledTooOftenWarnsOfItsTimeSeries() throws {
        let catalogue = CatalogParsingTests.catalogue("{torrents: 10000, size: 1 MiB}")
        #expect(try warnings(catalogue).isEmpty)
        let day = try warnings(catalogue.replacingOccurrences(of: "duration: 1 h", with: "duration: 1 d"))
        #expect(day.map(\.keys) == [["sample_interval", "catalog.torrents"]])
        #expect(day.first?.message.contains("86400000 rows") == true)
    }
}
