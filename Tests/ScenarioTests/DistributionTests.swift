import SimKernel
import Testing

@testable import Scenario

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Distributions are read wherever a random duration is allowed; `abort` is used here.
@Suite struct DistributionTests {
    func abort(_ text: String) throws -> Distribution? {
        try crowd("count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, abort: \(text)")?.abort
    }

    @Test func eachKindConvertsToSeconds() throws {
        #expect(try abort("{exponential: {mean: 2 h}}") == .exponential(mean: 7200))
        #expect(
            try abort("{lognormal: {mu: -2.41, sigma: 2.52, unit: h}}")
                == .lognormal(mu: -2.41, sigma: 2.52, scale: 3600))
        #expect(try abort("{uniform: {min: 1 min, max: 10 min}}") == .uniform(min: 60, max: 600))
        #expect(try abort("{weibull: {scale: 288 min, shape: 0.63}}") == .weibull(scale: 17_280, shape: 0.63))
        #expect(try abort("{constant: 10 min}") == .constant(600))
        #expect(try abort("10 min") == .constant(600))
        #expect(try abort("{uniform: {min: 5 s, max: 5 s}}") == .uniform(min: 5, max: 5))
    }

    @Test func latencyDefaultsToUniform10To100Milliseconds() throws {
        #expect(try parse(document()).network.latency == .uniform(min: 0.010, max: 0.100))
        let custom = try parse(document(extra: "network: {latency: {constant: 30 ms}}"))
        #expect(custom.network.latency == .constant(0.030))
    }

    @Test func seedingForAcceptsADistribution() throws {
        let group = try crowd(
            "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, seeding: {for: {exponential: {mean: 10 min}}}")
        #expect(group?.seeding == .duration(.exponential(mean: 600)))
    }

    @Test func badDistributionsNameTheKey() {
        let base = "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, abort: "
        expectError(
            document(crowd: base + "{exponetial: {mean: 2 h}}"), prefix: "x.yaml:6 peers[1].abort.exponetial: ",
            "unknown distribution", "did you mean \"exponential\"?")
        expectError(
            document(crowd: base + "{uniform: {min: 10 min, max: 1 min}}"),
            prefix: "x.yaml:6 peers[1].abort.uniform.max: ",
            "must be at least min (10 min)")
        expectError(
            document(crowd: base + "{weibull: {scale: 1 h, shape: 0}}"),
            prefix: "x.yaml:6 peers[1].abort.weibull.shape: ",
            "must be positive")
        expectError(
            document(crowd: base + "{lognormal: {mu: 1, sigma: 1}}"),
            prefix: "x.yaml:6 peers[1].abort.lognormal.unit: ",
            "required key is missing")
        expectError(
            document(crowd: base + "{lognormal: {mu: 1, sigma: 1, unit: hours}}"),
            prefix: "x.yaml:6 peers[1].abort.lognormal.unit: ", "unknown time unit \"hours\"")
        expectError(
            document(crowd: base + "{exponential: {mean: 2 h}, constant: 1 h}"), prefix: "x.yaml:6 peers[1].abort: ",
            "exactly one distribution")
        expectError(document(crowd: base + "soon"), prefix: "x.yaml:6 peers[1].abort: ", "got \"soon\"", "exponential")
        expectError(document(crowd: base + "-3 min"), prefix: "x.yaml:6 peers[1].abort: ", "must not be negative")
        expectError(
            document(crowd: base + "{exponential: {mean: 0 s}}"), prefix: "x.yaml:6 peers[1].abort.exponential.mean: ",
            "must be positive")
    }
}

/// A class so that `deinit` removes the files each test wrote.
@Suite final class EmpiricalDistributionTests {
    let folder: String
    var written: [String] = []

    init() throws {
        folder = "/tmp/btsim-scenario-tests-\(getpid())-\(Int.random(in: 0..<1_000_000_000))"
        #expect(mkdir(folder, 0o755) == 0)
    }

    deinit {
        for name in written { unlink("\(folder)/\(name)") }
        rmdir(folder)
    }

    func write(_ name: String, _ contents: String) {
        let handle = fopen("\(folder)/\(name)", "w")
        fputs(contents, handle)
        fclose(handle)
        written.append(name)
    }

    func load(abort: String) throws(ScenarioError) -> Distribution? {
        write(
            "s.yaml",
            document(crowd: "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, abort: \(abort)"))
        return try ScenarioLoader.load(path: "\(folder)/s.yaml").peers.last?.abort
    }

    @Test func readsFirstColumnWithHeaderUnitsAndSeconds() throws {
        write("sessions.csv", "session,host\n10 min,a\n30,b\n\n1.5 h,c\n")
        #expect(try load(abort: "{empirical: sessions.csv}") == .empirical([600, 30, 5400]))
    }

    @Test func missingOrEmptyFilesNameTheKey() {
        #expect(throws: ScenarioError.self) { try load(abort: "{empirical: nothing.csv}") }
        do {
            _ = try load(abort: "{empirical: nothing.csv}")
        } catch {
            #expect(error.description.hasPrefix("\(folder)/s.yaml:6 peers[1].abort.empirical: cannot read"))
            #expect(error.description.contains("No such file or directory"))
        }
        write("empty.csv", "header\n")
        do {
            _ = try load(abort: "{empirical: empty.csv}")
            Issue.record("empty file accepted")
        } catch {
            #expect(error.description.contains("peers[1].abort.empirical: empty.csv: the file has no values"))
        }
        write("bad.csv", "1 s\n2 s\nabc\n")
        do {
            _ = try load(abort: "{empirical: bad.csv}")
            Issue.record("bad value accepted")
        } catch {
            #expect(error.description.contains("bad.csv: line 3: expected a duration"))
        }
    }
}
