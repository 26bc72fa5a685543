import Incentives
import SimKernel
import Testing

@testable import Scenario

/// The `incentives:` block and the per-group keys of docs/model.md, "Strategies and BitTorrent Speed": wallets, budgets,
/// strategies and rational seeding.
@Suite struct IncentivesParsingTests {
    let rates = "count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s"

    /// The spec of a document whose line 7 is `incentives: <block>`.
    func incentives(_ block: String) throws(ScenarioError) -> IncentivesSpec {
        try parse(document(extra: "incentives: \(block)")).incentives
    }

    /// Every key of the block, one per line from line 8, for tests that replace one line.
    let everyKey = """
        incentives:
          bid: auto
          price: 0.5 BTT/GiB
          spending_rate: 0.25
          budget: 20 BTT
          reserve: 0.1 BTT/GiB
          channel_deposit: 2.5 BTT
          verify_fraction: 0.2
          refuse_defaulters: true
          leave_withholders: true
          exchange_delay: 90 s
          chain:
            block_time: 5 s
            fee: 0 BTT
            min_deposit: 0.000001 BTT
            min_withdrawal: 3 BTT
        """

    // MARK: The incentives block

    @Test func defaultsWhenTheBlockIsAbsentOrEmpty() throws {
        let scenario = try parse(document())
        #expect(scenario.incentives == IncentivesSpec())
        #expect(scenario.incentives.price == Price(baseUnitsPerGiB: 1_000_000))
        #expect(scenario.incentives.chain == ChainSettings())
        #expect(try incentives("") == IncentivesSpec())
        #expect(try incentives("{}") == IncentivesSpec())
        let crowd = scenario.peers[1]
        #expect(crowd.strategy == .bittorrent)
        #expect(crowd.wallet == WalletSpec())
        #expect(crowd.budget == nil)
        #expect(crowd.rationalSeeding == nil)
    }

    @Test func everyKeyIsRead() throws {
        let spec = try parse(document(extra: everyKey)).incentives
        #expect(spec.bid == .auto)
        #expect(spec.price == Price(baseUnitsPerGiB: 500_000))
        #expect(spec.spendingRate == 0.25)
        #expect(spec.budget == TokenAmount(baseUnits: 20_000_000))
        #expect(spec.reserve == Price(baseUnitsPerGiB: 100_000))
        #expect(spec.channelDeposit == TokenAmount(baseUnits: 2_500_000))
        #expect(spec.verifyFraction == 0.2)
        #expect(spec.refuseDefaulters && spec.leaveWithholders)
        #expect(spec.chain.confirmationDelay == .seconds(90))
        #expect(spec.chain.blockTime == .seconds(5))
        #expect(spec.chain.fee == .zero)
        #expect(spec.chain.minimumDeposit == TokenAmount(baseUnits: 1))
        #expect(spec.chain.minimumWithdrawal == TokenAmount(baseUnits: 3_000_000))
    }

    @Test func theDefencesMustBeTrueOrFalse() {
        expectError(
            document(extra: "incentives: {leave_withholders: 1}"), prefix: "x.yaml:7 incentives.leave_withholders: ",
            "true or false")
        expectError(
            document(extra: "incentives: {refuse_defaulters: yes please}"),
            prefix: "x.yaml:7 incentives.refuse_defaulters: ", "true or false")
    }

    @Test func keysLeftOutKeepTheirDefaults() throws {
        let spec = try incentives("{price: 2 BTT/GiB, chain: {fee: 0 BTT}, exchange_delay: 0 s}")
        var expected = IncentivesSpec()
        expected.price = .bttPerGiB(2)
        expected.chain.fee = .zero
        expected.chain.confirmationDelay = .zero
        #expect(spec == expected)
        #expect(spec.chain.blockTime == .seconds(3))
    }

    @Test(
        arguments: [
            ("0.5 BTT/GiB", 500_000), ("1 BTT/MiB", 1_024_000_000), ("1 BTT/KiB", 1_048_576_000_000),
            ("1 BTT/MB", 1_073_741_824), ("1 BTT/GB", 1_073_742), ("2BTT/GiB", 2_000_000), ("0 BTT/GiB", 0),
            ("1e-3 BTT/GiB", 1000), ("0.0000001 BTT/MiB", 102), ("0.0000005 BTT/GiB", 1), ("0.0000004 BTT/GiB", 0),
            ("1 BTT / GiB", 1_000_000),
        ] as [(String, Int64)])
    func pricesInBaseUnitsPerGiB(text: String, baseUnitsPerGiB: Int64) throws {
        #expect(try Units.price(text) == Price(baseUnitsPerGiB: baseUnitsPerGiB))
    }

    @Test(
        arguments: [
            ("0.000001 BTT", 1), ("5 BTT", 5_000_000), ("1.5 BTT", 1_500_000), ("0.1 BTT", 100_000),
            ("20BTT", 20_000_000), ("1.000000000 BTT", 1_000_000), ("0 BTT", 0),
            // 2^53 + 1 base units: a Double would round it to 2^53.
            ("9007199254.740993 BTT", 9_007_199_254_740_993),
        ] as [(String, Int64)])
    func amountsAreExact(text: String, baseUnits: Int64) throws {
        #expect(try Units.tokenAmount(text, allowZero: true) == TokenAmount(baseUnits: baseUnits))
    }

    @Test(
        arguments: [
            ("5", "expected an amount such as \"5 BTT\", got \"5\" (the unit is missing)"),
            ("0.0000001 BTT", "has more than 6 decimal places (1 BTT is 1000000 base units), got \"0.0000001 BTT\""),
            ("-1 BTT", "must not be negative, got \"-1 BTT\""),
            ("5 btt", "unknown token \"btt\" in \"5 btt\"; did you mean \"BTT\"?"),
            ("5 ETH", "unknown token \"ETH\" in \"5 ETH\"; use BTT"),
            ("1 BTT/GiB", "expected an amount such as \"5 BTT\", got \"1 BTT/GiB\""),
            ("lots", "expected an amount such as \"5 BTT\", got \"lots\""),
            ("10000000000000 BTT", "is more than BTT's total supply of 990000000000 BTT, got \"10000000000000 BTT\""),
            (
                "990000000000.000001 BTT",
                "is more than BTT's total supply of 990000000000 BTT, got \"990000000000.000001 BTT\""
            ),
        ])
    func badAmounts(text: String, message: String) {
        #expect(throws: Units.Problem(message)) { try Units.tokenAmount(text, allowZero: true) }
    }

    @Test func badPricesAndCosts() {
        #expect(throws: Units.Problem("expected a price such as \"0.5 BTT/GiB\", got \"1 BTT\"")) {
            try Units.price("1 BTT")
        }
        #expect(throws: Units.Problem("must not be negative, got \"-1 BTT/GiB\"")) { try Units.price("-1 BTT/GiB") }
        #expect(throws: Units.Problem("unknown size unit \"Gib\" in \"1 BTT/Gib\"; did you mean \"GiB\"?")) {
            try Units.price("1 BTT/Gib")
        }
        #expect(throws: Units.Problem("expected a cost such as \"2 BTT/h\", got \"2 BTT\"")) {
            try Units.costPerHour("2 BTT", allowZero: true)
        }
        #expect(throws: Units.Problem("unknown time unit \"hour\" in \"2 BTT/hour\"; use s, min, h or d")) {
            try Units.costPerHour("2 BTT/hour", allowZero: true)
        }
    }

    // MARK: Errors in the block

    @Test func blockErrorsNameTheKeyAndLine() {
        let cases: [(String, String)] = [
            ("{bid: autp}", "x.yaml:7 incentives.bid: unknown bid rule \"autp\"; did you mean \"auto\"?"),
            ("{bid: vickrey}", "x.yaml:7 incentives.bid: unknown bid rule \"vickrey\"; known: fixed or auto"),
            ("{spending_rate: 1.5}", "x.yaml:7 incentives.spending_rate: must be from 0 to 1, got \"1.5\""),
            ("{spending_rate: half}", "x.yaml:7 incentives.spending_rate: expected a number such as 0.5, got \"half\""),
            ("{verify_fraction: -0.1}", "x.yaml:7 incentives.verify_fraction: must be from 0 to 1, got \"-0.1\""),
            (
                "{price: 1 BTT}",
                "x.yaml:7 incentives.price: expected a price such as \"0.5 BTT/GiB\", got \"1 BTT\""
            ),
            (
                "{reserve: 0.5}",
                "x.yaml:7 incentives.reserve: expected a price such as \"0.5 BTT/GiB\", got \"0.5\" (the unit is missing)"
            ),
            ("{channel_deposit: 0 BTT}", "x.yaml:7 incentives.channel_deposit: must be positive, got \"0 BTT\""),
            (
                "{channel_deposit: -5 BTT}",
                "x.yaml:7 incentives.channel_deposit: must not be negative, got \"-5 BTT\""
            ),
            ("{budget: 0 BTT}", "x.yaml:7 incentives.budget: must be positive, got \"0 BTT\""),
            (
                "{budget: 20}",
                "x.yaml:7 incentives.budget: expected an amount such as \"5 BTT\", got \"20\" (the unit is missing)"
            ),
            ("{chain: {block_time: 0 s}}", "x.yaml:7 incentives.chain.block_time: must be positive, got \"0 s\""),
            ("{chain: {fee: -1 BTT}}", "x.yaml:7 incentives.chain.fee: must not be negative, got \"-1 BTT\""),
            ("{exchange_delay: -1 s}", "x.yaml:7 incentives.exchange_delay: must not be negative, got \"-1 s\""),
            ("{prise: 1 BTT/GiB}", "x.yaml:7 incentives.prise: unknown key; did you mean \"price\"?"),
            (
                "{chain: {blocktime: 3 s}}",
                "x.yaml:7 incentives.chain.blocktime: unknown key; did you mean \"block_time\"?"
            ),
            (
                "fixed",
                "x.yaml:7 incentives: expected a mapping of incentive settings such as {bid: fixed, price: 1 BTT/GiB}, got \"fixed\""
            ),
        ]
        for (block, message) in cases {
            #expect(throws: ScenarioError.self) { try incentives(block) }
            do {
                _ = try incentives(block)
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test func errorsInABlockNameTheirOwnLine() {
        expectError(
            document(extra: everyKey.replacingOccurrences("block_time: 5 s", "block_time: 0 ms")),
            prefix: "x.yaml:19 incentives.chain.block_time: ", "must be positive, got \"0 ms\"")
        expectError(
            document(extra: everyKey.replacingOccurrences("price: 0.5 BTT/GiB", "price: 1 BTT")),
            prefix: "x.yaml:9 incentives.price: ", "expected a price such as \"0.5 BTT/GiB\", got \"1 BTT\"")
        expectError(
            document(extra: "incentives: {bid: fixed}\nincentive: {}"), prefix: "x.yaml:8 incentive: ",
            "unknown key; did you mean \"incentives\"?")
    }

    // MARK: Per group

    @Test func walletShorthandAndMapping() throws {
        #expect(try crowd("\(rates), wallet: 50 BTT")?.wallet == WalletSpec(ledger: .btt(50)))
        #expect(
            try crowd("\(rates), wallet: {ledger: 20 BTT, chain: 30 BTT}")?.wallet
                == WalletSpec(ledger: .btt(20), chain: .btt(30)))
        #expect(try crowd("\(rates), wallet: {chain: 0.5 BTT}")?.wallet == WalletSpec(chain: .btt(0.5)))
        #expect(try crowd("\(rates), wallet: 0 BTT")?.wallet == WalletSpec())
        expectError(
            document(crowd: "\(rates), wallet: 50"), prefix: "x.yaml:6 peers[1].wallet: ",
            "expected an amount such as \"5 BTT\", got \"50\" (the unit is missing)")
        expectError(
            document(crowd: "\(rates), wallet: plenty"), prefix: "x.yaml:6 peers[1].wallet: ",
            "expected an amount such as \"50 BTT\" or a mapping such as {ledger: 20 BTT, chain: 30 BTT}, got \"plenty\""
        )
        expectError(
            document(crowd: "\(rates), wallet: {ledgr: 1 BTT}"), prefix: "x.yaml:6 peers[1].wallet.ledgr: ",
            "did you mean \"ledger\"?")
        expectError(
            document(crowd: "\(rates), wallet: {chain: -2 BTT}"), prefix: "x.yaml:6 peers[1].wallet.chain: ",
            "must not be negative")
    }

    @Test func budgetPerGroup() throws {
        let scenario = try parse(document(crowd: "\(rates), budget: 10 BTT", extra: "incentives: {budget: 20 BTT}"))
        #expect(scenario.peers[1].budget == .btt(10))
        #expect(scenario.peers[0].budget == nil)
        #expect(scenario.incentives.budget == .btt(20))
        expectError(
            document(crowd: "\(rates), budget: 0 BTT"), prefix: "x.yaml:6 peers[1].budget: ",
            "must be positive, got \"0 BTT\"")
    }

    // MARK: Rational seeding

    @Test func rationalSeedingWithAFloor() throws {
        let group = try crowd(
            "\(rates), strategy: speed, seeding: {for: 10 min, rational: {cost: {uniform: {min: 0 BTT/h, max: 4 BTT/h}}, interval: 5 min, window: 1 h}}"
        )
        #expect(group?.strategy == .speed)
        #expect(group?.seeding == .duration(.constant(600)))
        #expect(
            group?.rationalSeeding
                == RationalSeeding(costPerHour: .uniform(min: 0, max: 4), interval: .minutes(5), window: .hours(1)))
    }

    @Test func rationalSeedingWithoutAFloorStartsAtOnce() throws {
        let group = try crowd("\(rates), seeding: {rational: {cost: 2 BTT/h}}")
        #expect(group?.seeding == .duration(.constant(0)))
        #expect(group?.rationalSeeding == RationalSeeding(costPerHour: .constant(2)))
        #expect(group?.rationalSeeding?.interval == .minutes(10))
        #expect(group?.rationalSeeding?.window == .minutes(30))
        #expect(try crowd("\(rates), seeding: {for: 1 h}")?.rationalSeeding == nil)
        #expect(try crowd("\(rates), seeding: forever")?.rationalSeeding == nil)
    }

    @Test func costsConvertToBTTPerHour() throws {
        func cost(_ text: String) throws -> Distribution? {
            try crowd("\(rates), seeding: {rational: {cost: \(text)}}")?.rationalSeeding?.costPerHour
        }
        #expect(try cost("2 BTT/h") == .constant(2))
        #expect(try cost("0 BTT/h") == .constant(0))
        #expect(try cost("0.5 BTT/min") == .constant(30))
        #expect(try cost("1 BTT/s") == .constant(3600))
        #expect(try cost("48 BTT/d") == .constant(2))
        #expect(try cost("{constant: 3 BTT/h}") == .constant(3))
        #expect(try cost("{exponential: {mean: 2 BTT/h}}") == .exponential(mean: 2))
        #expect(try cost("{uniform: {min: 1 BTT/min, max: 2 BTT/min}}") == .uniform(min: 60, max: 120))
        #expect(try cost("{weibull: {scale: 2 BTT/h, shape: 0.7}}") == .weibull(scale: 2, shape: 0.7))
        #expect(
            try cost("{lognormal: {mu: 0.1, sigma: 0.5, unit: BTT/min}}") == .lognormal(mu: 0.1, sigma: 0.5, scale: 60))
    }

    @Test func rationalSeedingErrors() {
        let seeding = "\(rates), seeding: "
        let cases: [(String, String, String)] = [
            (
                "{}", "x.yaml:6 peers[1].seeding: ",
                "give for, rational or both, such as {for: 2 h} or {for: 10 min, rational: {cost: 2 BTT/h}}"
            ),
            ("{rational: {}}", "x.yaml:6 peers[1].seeding.rational.cost: ", "required key is missing"),
            (
                "{rational: {cost: 2 BTT}}", "x.yaml:6 peers[1].seeding.rational.cost: ",
                "expected a cost such as \"2 BTT/h\", got \"2 BTT\""
            ),
            (
                "{rational: {cost: 2}}", "x.yaml:6 peers[1].seeding.rational.cost: ",
                "expected a cost such as \"2 BTT/h\", got \"2\" (the unit is missing)"
            ),
            (
                "{rational: {cost: cheap}}", "x.yaml:6 peers[1].seeding.rational.cost: ",
                "expected a cost such as \"2 BTT/h\" or a distribution such as {exponential: {mean: 2 BTT/h}}, got \"cheap\""
            ),
            (
                "{rational: {cost: {exponential: {mean: 0 BTT/h}}}}",
                "x.yaml:6 peers[1].seeding.rational.cost.exponential.mean: ", "must be positive, got \"0 BTT/h\""
            ),
            (
                "{rational: {cost: {uniform: {min: 3 BTT/h, max: 1 BTT/h}}}}",
                "x.yaml:6 peers[1].seeding.rational.cost.uniform.max: ",
                "must be at least min (3 BTT/h), got \"1 BTT/h\""
            ),
            (
                "{rational: {cost: {lognormal: {mu: 0, sigma: 1, unit: h}}}}",
                "x.yaml:6 peers[1].seeding.rational.cost.lognormal.unit: ",
                "unknown cost unit \"h\"; use BTT/s, BTT/min, BTT/h or BTT/d"
            ),
            (
                "{rational: {cost: 1 BTT/h, interval: 0 s}}", "x.yaml:6 peers[1].seeding.rational.interval: ",
                "must be positive, got \"0 s\""
            ),
            (
                "{rational: {cost: 1 BTT/h, window: 0 min}}", "x.yaml:6 peers[1].seeding.rational.window: ",
                "must be positive, got \"0 min\""
            ),
            (
                "{rational: {costs: 1 BTT/h}}", "x.yaml:6 peers[1].seeding.rational.costs: ",
                "unknown key; did you mean \"cost\"?"
            ),
            (
                "{rational: 2 BTT/h}", "x.yaml:6 peers[1].seeding.rational: ",
                "expected a mapping such as {cost: 2 BTT/h, interval: 10 min, window: 30 min}, got \"2 BTT/h\""
            ),
            (
                "{for: forever, rational: {cost: 1 BTT/h}}", "x.yaml:6 peers[1].seeding.for: ",
                "expected a duration such as \"10 min\" or a distribution such as {exponential: {mean: 2 h}}, got \"forever\""
            ),
        ]
        for (value, prefix, message) in cases {
            let full = expectError(document(crowd: seeding + value), prefix: prefix)
            #expect(full == prefix + message)
        }
    }

    // MARK: Overrides, variants and sweeps

    @Test func overridesReachTheNewKeys() throws {
        let overrides = try [
            "incentives.price=2 BTT/GiB", "incentives.chain.fee=0 BTT", "peers.crowd.strategy=freerider",
            "peers.crowd.wallet={ledger: 20 BTT, chain: 30 BTT}", "peers.crowd.budget=5 BTT",
            "peers.crowd.seeding={rational: {cost: 1 BTT/h}}",
        ].map { (argument: String) throws(ScenarioError) in try Override.parse(argument) }
        let scenario = try parse(document(), overrides: overrides)
        #expect(scenario.incentives.price == Price(baseUnitsPerGiB: 2_000_000))
        #expect(scenario.incentives.chain.fee == .zero)
        #expect(scenario.peers[1].strategy == .freerider)
        #expect(scenario.peers[1].wallet == WalletSpec(ledger: .btt(20), chain: .btt(30)))
        #expect(scenario.peers[1].budget == .btt(5))
        #expect(scenario.peers[1].rationalSeeding == RationalSeeding(costPerHour: .constant(1)))
        #expect(scenario.peers[0].strategy == .bittorrent)
        let speed = try parse(document(), overrides: [Override.parse("peers.crowd.strategy=speed")])
        #expect(speed.peers[1].strategy == .speed)
    }

    @Test func badOverridesNameTheOverride() {
        let cases: [(String, String)] = [
            (
                "incentives.price=1 BTT",
                "--set incentives.price: expected a price such as \"0.5 BTT/GiB\", got \"1 BTT\""
            ),
            ("incentives.prise=1 BTT/GiB", "--set incentives.prise: unknown key \"prise\"; did you mean \"price\"?"),
            ("incentives.chan.fee=0 BTT", "--set incentives.chan.fee: unknown key \"chan\"; did you mean \"chain\"?"),
            (
                "peers.crowd.wallet=50",
                "--set peers.crowd.wallet: expected an amount such as \"5 BTT\", got \"50\" (the unit is missing)"
            ),
        ]
        for (argument, message) in cases {
            do {
                _ = try parse(document(), overrides: [Override.parse(argument)])
                Issue.record("accepted \(argument)")
            } catch {
                #expect(error.description == message)
            }
        }
    }

    @Test func speedVersusBitTorrentVariant() throws {
        let extra = """
            incentives: {bid: fixed, price: 1 BTT/GiB}
            variants:
              - name: speed-fixed
                set: {peers.crowd.strategy: speed, incentives.price: 0.5 BTT/GiB, peers.crowd.wallet: 50 BTT}
            """
        let base = try parse(document(extra: extra))
        #expect(base.peers[1].strategy == .bittorrent)
        let speed = try ScenarioLoader.scenario(for: base.variants[0], of: base)
        #expect(speed.peers[1].strategy == .speed)
        #expect(speed.peers[1].wallet.ledger == .btt(50))
        #expect(speed.incentives.price == .bttPerGiB(0.5))
        #expect(speed.incentives.bid == .fixed)
    }

    @Test func sweepOverPrice() throws {
        let scenario = try parse(
            document(extra: "sweep:\n  incentives.price: [0 BTT/GiB, 0.1 BTT/GiB, 1 BTT/MiB]"))
        #expect(
            scenario.sweep == [
                SweepAxis(path: "incentives.price", values: ["0 BTT/GiB", "0.1 BTT/GiB", "1 BTT/MiB"], line: 8)
            ])
        var prices: [Int64] = []
        for point in scenario.sweepPoints {
            prices.append(
                try ScenarioLoader.scenario(atSweepPoint: point, of: scenario).incentives.price.baseUnitsPerGiB)
        }
        #expect(prices == [0, 100_000, 1_024_000_000])
        expectError(
            document(extra: "sweep:\n  incentives.price: [1 BTT/GiB, 2 BTT]"),
            prefix: "x.yaml:8 sweep incentives.price=2 BTT: ", "expected a price such as \"0.5 BTT/GiB\", got \"2 BTT\""
        )
    }
}

/// The worked example of docs/scenarios.md must stay valid.
@Suite struct IncentivesDocumentationTests {
    @Test func workedExampleLoads() throws {
        let path = "\(ScenarioFilesTests.root)/docs/scenarios.md"
        guard case .success(let text) = TextFile.read(path) else {
            Issue.record("cannot read \(path)")
            return
        }
        let afterIntro = try #require(text.split(separator: "A worked example", maxSplits: 1).last)
        let afterFence = try #require(afterIntro.split(separator: "```yaml\n", maxSplits: 1).last)
        let example = try #require(afterFence.split(separator: "```", maxSplits: 1).first)
        let scenario = try parse("name: doc\nduration: 2 h\ntorrent: {size: 100 MiB}\n" + example)
        #expect(scenario.peers.map(\.strategy) == [.speed, .speed, .bittorrent])
        #expect(scenario.peers[1].wallet == WalletSpec(ledger: .btt(20), chain: .btt(30)))
        #expect(scenario.peers[1].rationalSeeding?.costPerHour == .uniform(min: 0, max: 4))
        #expect(scenario.sweepPoints.count == 4)
        let variant = try ScenarioLoader.scenario(for: scenario.variants[0], of: scenario)
        #expect(variant.peers.map(\.strategy) == [.speed, .speed, .speed])
        #expect(variant.incentives.bid == .auto)
    }
}
