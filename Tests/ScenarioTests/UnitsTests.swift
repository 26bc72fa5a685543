import SimKernel
import Testing

@testable import Scenario

@Suite struct UnitsTests {
    @Test(
        arguments: [
            ("1 B", 1), ("3 KB", 3000), ("2 MB", 2_000_000), ("1 GB", 1_000_000_000), ("1 TB", 1_000_000_000_000),
            ("1 KiB", 1024), ("256 KiB", 262_144), ("20 MiB", 20_971_520), ("1 GiB", 1_073_741_824),
            ("1 TiB", 1_099_511_627_776), ("1GiB", 1_073_741_824), ("0.5 KiB", 512), ("1.5 MB", 1_500_000),
            ("  7 B  ", 7), ("1e3 B", 1000),
        ] as [(String, Int64)])
    func sizes(text: String, bytes: Int64) throws {
        #expect(try Units.size(text) == bytes)
    }

    @Test(
        arguments: [
            ("1 bit/s", 1.0), ("128 kbit/s", 128e3), ("10 Mbit/s", 10e6), ("1 Gbit/s", 1e9), ("0.5 Mbit/s", 0.5e6),
            ("8 bps", 8), ("2 kbps", 2e3), ("3 Mbps", 3e6), ("1 Gbps", 1e9),
            ("1 B/s", 8), ("1 KB/s", 8e3), ("1 MB/s", 8e6), ("1 GB/s", 8e9),
            ("1 KiB/s", 8192), ("1 MiB/s", 8_388_608), ("1 GiB/s", 8_589_934_592), ("10Mbit/s", 10e6),
        ] as [(String, Double)])
    func rates(text: String, bitsPerSecond: Double) throws {
        #expect(try Units.rate(text) == bitsPerSecond)
    }

    @Test(
        arguments: [
            ("5 ns", 5), ("3 us", 3000), ("3 µs", 3000), ("10 ms", 10_000_000), ("1 s", 1_000_000_000),
            ("1.5 s", 1_500_000_000), ("10 min", 600_000_000_000), ("2 h", 7_200_000_000_000),
            ("1 d", 86_400_000_000_000), ("0 s", 0), ("30min", 1_800_000_000_000),
        ] as [(String, Int64)])
    func durations(text: String, nanoseconds: Int64) throws {
        #expect(try Units.duration(text, allowZero: true) == SimTime(nanoseconds: nanoseconds))
    }

    @Test(
        arguments: [
            ("2/s", 2.0), ("100/h", 100.0 / 3600), ("5/min", 5.0 / 60), ("1/d", 1.0 / 86_400), ("0.5 / s", 0.5),
            ("3/ms", 3000),
        ] as [(String, Double)])
    func eventRates(text: String, perSecond: Double) throws {
        #expect(abs(try Units.eventRate(text) - perSecond) < 1e-12)
    }

    @Test func bareNumbersNeedAUnit() {
        #expect(throws: Units.Problem("expected a size such as \"256 KiB\", got \"1048576\" (the unit is missing)")) {
            try Units.size("1048576")
        }
        #expect(throws: Units.Problem("expected a rate such as \"1 Mbit/s\", got \"fast\"")) { try Units.rate("fast") }
        #expect(throws: Units.Problem.self) { try Units.duration("10", allowZero: true) }
        #expect(throws: Units.Problem.self) { try Units.eventRate("2") }
    }

    @Test func unknownUnitsSuggestTheClosest() {
        #expect(throws: Units.Problem("unknown rate unit \"mbit/s\" in \"1 mbit/s\"; did you mean \"Mbit/s\"?")) {
            try Units.rate("1 mbit/s")
        }
        #expect(throws: Units.Problem("unknown time unit \"hr\" in \"100/hr\"; did you mean \"h\"?")) {
            try Units.eventRate("100/hr")
        }
        #expect(throws: Units.Problem.self) { try Units.size("1 parsecs") }
    }

    @Test func signsAndZeros() {
        #expect(throws: Units.Problem("must be positive, got \"-1 Mbit/s\"")) { try Units.rate("-1 Mbit/s") }
        #expect(throws: Units.Problem("must be positive, got \"0 kbit/s\"")) { try Units.rate("0 kbit/s") }
        #expect(throws: Units.Problem("must be positive, got \"-5 MiB\"")) { try Units.size("-5 MiB") }
        #expect(throws: Units.Problem("must be positive, got \"0 B\"")) { try Units.size("0 B") }
        #expect(throws: Units.Problem("must not be negative, got \"-1 s\"")) {
            try Units.duration("-1 s", allowZero: true)
        }
        #expect(throws: Units.Problem("must be positive, got \"0 s\"")) { try Units.duration("0 s", allowZero: false) }
        #expect(throws: Units.Problem("must be positive, got \"0/s\"")) { try Units.eventRate("0/s") }
    }

    @Test func fractionalBytesAreRejected() {
        #expect(throws: Units.Problem("must be a whole number of bytes, got \"1.5 B\"")) { try Units.size("1.5 B") }
    }

    @Test func numbersAreStrictDecimals() {
        #expect(Units.number("-2.41") == -2.41)
        #expect(Units.number("1e-3") == 0.001)
        #expect(Units.number(".5") == 0.5)
        #expect(Units.number("inf") == nil)
        #expect(Units.number("nan") == nil)
        #expect(Units.number("0x10") == nil)
        #expect(Units.number("1 h") == nil)
        #expect(Units.number("") == nil)
    }

    @Test func hugeValuesAreErrorsNotCrashes() {
        #expect(throws: Units.Problem.self) { try Units.size("1e30 TiB") }
        #expect(throws: Units.Problem.self) { try Units.duration("1e300 d", allowZero: true) }
        #expect(throws: Units.Problem.self) { try Units.rate("1e999 bit/s") }
    }
}

@Test func durationsAreDescribedInTheLargestExactUnit() {
    #expect(Units.describe(.hours(2)) == "2 h")
    #expect(Units.describe(.seconds(90)) == "90 s")
    #expect(Units.describe(.milliseconds(1500)) == "1500 ms")
    #expect(Units.describe(.zero) == "0 s")
}
