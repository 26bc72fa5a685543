import BitTorrent
import Incentives
import SimKernel
import Speed
import Strategies
import Testing

@Suite struct StrategyRegistryTests {
    @Test func namesAreUniqueAndFindTheirDefinition() {
        #expect(Set(StrategyRegistry.names).count == StrategyRegistry.all.count)
        for definition in StrategyRegistry.all {
            #expect(StrategyRegistry.named(definition.name) == definition)
        }
        #expect(StrategyRegistry.named("tft") == nil)
        #expect(StrategyRegistry.standard.name == "bittorrent")
    }

    @Test func strategiesWithoutAMarketBuildWithoutATrader() {
        for definition in StrategyRegistry.all where definition.market == .none {
            let made = definition.makeStrategy(StrategyContext())
            #expect(made.trader == nil, "\(definition)")
        }
        #expect(StrategyDefinition.freerider.makeStrategy(StrategyContext()).strategy.uploads == false)
        #expect(StrategyDefinition.bittorrent.makeStrategy(StrategyContext()).strategy.uploads)
        #expect(StrategyDefinition.propshare.makeStrategy(StrategyContext()).strategy is PropShare)
    }

    @Test func aSpeedPeerTradesFromTheAccountItWasGiven() {
        let market = SpeedMarket(
            settings: SpeedSettings(bidding: .fixed(.bttPerGiB(1))), chain: ChainSettings(), seed: 1)
        let account = market.join(peer: 3, ledger: .btt(10), wallet: .zero)
        let made = StrategyDefinition.speed.makeStrategy(
            StrategyContext(speed: SpeedAccountContext(market: market, account: account)))
        #expect(StrategyDefinition.speed.market == .speed)
        #expect(made.trader?.account.peer == 3)
        #expect(made.trader === (made.strategy as AnyObject))
    }

    @Test func bittorrentAnnouncesTheHandshakeItIsGiven() throws {
        let handshake = ExtensionHandshake(messages: [:], client: "btsim test")
        let made = StrategyDefinition.bittorrent.makeStrategy(StrategyContext(extensionHandshake: handshake))
        let layout = PieceLayout(totalLength: 1 << 20, pieceLength: 1 << 18)
        let config = ClientConfiguration(
            infoHash: try #require(InfoHash(bytes: Array(repeating: 1, count: 20))), peerID: PeerID(azureusStyle: 1),
            address: PeerAddress(ipv4: 0x0A00_0001, port: 6881), layout: layout, settings: ProtocolSettings(),
            startsAsSeed: false)
        let client = TorrentClient(config: config, random: RandomStream(seed: 1), strategy: made.strategy)
        #expect(made.strategy.extensionHandshake(client: client)?.client == "btsim test")
        let silent = StrategyDefinition.bittorrent.makeStrategy(StrategyContext()).strategy
        #expect(silent.extensionHandshake(client: client) == nil)
    }

    @Test func rationalSeedersStayWhileEarningsCoverTheirCost() {
        let rule = SeedingRule.earningsCoverCost
        #expect(rule.staysSeeding(earnedPerHour: 2, costPerHour: 2))
        #expect(!rule.staysSeeding(earnedPerHour: 1.99, costPerHour: 2))
        // A strategy that earns nothing stays only when seeding costs it nothing.
        #expect(rule.staysSeeding(earnedPerHour: 0, costPerHour: 0))
        #expect(!rule.staysSeeding(earnedPerHour: 0, costPerHour: 0.1))
    }
}
