import BitTorrent
import Foundation
import Incentives
import NIOCore
import NIOPosix
import Speed
import Testing

@testable import Live

/// Two btsim peers run BitTorrent Speed over a real TCP connection: bid, accept, channel
/// open, a signed voucher per piece (every one verified, as in Live), close and settlement,
/// with the same Incentives and Speed code as the simulator and an in-process ledger.
@Suite(.serialized) struct LiveSpeedTests {
    static let price = Price.bttPerGiB(100)

    /// A 1 MiB file from a Speed seed (peer 0) to a Speed downloader (peer 1, 10 BTT) over
    /// TCP, both on one event loop (the market is shared and touched only from there),
    /// until the download completes and matches the source; `inspect` then reads the
    /// market and both strategies on that loop.
    func speedTransfer<T>(
        _ settings: SpeedSettings, protocolSettings: ProtocolSettings = ProtocolSettings(),
        delivery: SpeedDelivery = .honest, inspect: @escaping (SpeedMarket, SpeedStrategy, SpeedStrategy) -> T
    ) throws -> (T, Metainfo) {
        let t = LiveTransferTests()
        let s = try t.seeded(bytes: 1 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        _ = try? s.seed.stop().wait()
        let loop = s.group.next()
        let market = SpeedMarket(settings: settings, chain: ChainSettings(), seed: 1)
        let seller = SpeedStrategy(
            market: market, account: market.join(peer: 0, ledger: .zero, wallet: .zero), delivery: delivery)
        let provider = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(seeding: t.dir + "/source.bin", metainfo: s.metainfo),
            isSeed: true, configuration: LivePeer.Configuration(listenPort: 0, settings: protocolSettings),
            loop: loop, strategy: seller, log: { _ in })
        try provider.start().wait()
        let buyer = SpeedStrategy(market: market, account: market.join(peer: 1, ledger: .btt(10), wallet: .zero))
        let requester = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/got.bin", metainfo: s.metainfo),
            isSeed: false,
            configuration: LivePeer.Configuration(
                peers: [PeerAddress(ipv4: 0x7F00_0001, port: UInt16(provider.port))], settings: protocolSettings),
            loop: loop, strategy: buyer, log: { _ in })
        try requester.start().wait()
        try t.wait(requester.completion, on: loop)
        #expect(FileManager.default.contents(atPath: t.dir + "/got.bin") == Data(s.data))
        let result = try loop.submit { inspect(market, seller, buyer) }.wait()
        _ = try? requester.stop().wait()
        _ = try? provider.stop().wait()
        return (result, s.metainfo)
    }

    @Test func bidsChannelsAndVouchersTravelOverTCP() throws {
        let settings = SpeedSettings(
            bidding: .fixed(Self.price), reserve: Self.price, channelDeposit: .btt(1), verifyFraction: 1)
        let ((records, paid, earned, conserved), metainfo) = try speedTransfer(settings) { market, _, _ in
            (market.records, market.spent(by: 1), market.earned(by: 0), market.isConserved)
        }
        #expect(records.contains { $0.kind == .open && $0.payer == 1 && $0.payee == 0 })
        let vouchers = try #require(records.first { $0.kind == .voucher })
        #expect(vouchers.vouchers >= metainfo.pieceCount - 1)
        let cost = Self.price.cost(bytes: metainfo.length)
        #expect(abs(paid.baseUnits - cost.baseUnits) <= Int64(metainfo.pieceCount))
        #expect(earned == paid && conserved)
    }

    /// The same over TCP against a seed that withholds what it sells: the requester's
    /// requests time out (`request_timeout`, 2 s here), it leaves the seed
    /// (`leaveWithholders`), gets its deposit back, and then downloads the file on the
    /// seed's free slot, paying nothing. The same client and strategy code as the
    /// simulator's `speed-withholder`, on Live's driver and its timers.
    @Test func aRequesterLeavesAWithholdingSeedOverTCP() throws {
        let settings = SpeedSettings(
            bidding: .fixed(Self.price), reserve: Self.price, channelDeposit: .btt(1), verifyFraction: 1,
            leaveWithholders: true)
        var fast = ProtocolSettings()
        fast.requestTimeout = .seconds(2)
        fast.rechokeInterval = .seconds(1)
        let ((left, seller, opens, paid, balance, conserved), _) = try speedTransfer(
            settings, protocolSettings: fast, delivery: .withholds
        ) { market, seller, buyer in
            (
                buyer.withholders, seller.account.ledger, market.records.filter { $0.kind == .open }.count,
                market.spent(by: 1), market.balance(buyer.account.ledger), market.isConserved
            )
        }
        #expect(left == [seller])
        #expect(opens == 1 && paid == .zero && balance == .btt(10) && conserved)
    }
}
