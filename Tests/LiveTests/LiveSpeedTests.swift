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
    @Test func bidsChannelsAndVouchersTravelOverTCP() throws {
        let t = LiveTransferTests()
        let price = Price.bttPerGiB(100)
        let s = try t.seeded(bytes: 1 << 20)
        defer { try? s.group.syncShutdownGracefully() }
        _ = try? s.seed.stop().wait()
        // One thread: the market is shared by both peers and touched only from that loop.
        let loop = s.group.next()
        let market = SpeedMarket(
            settings: SpeedSettings(bidding: .fixed(price), reserve: price, channelDeposit: .btt(1), verifyFraction: 1),
            chain: ChainSettings(), seed: 1)
        let source = t.dir + "/source.bin"
        let provider = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(seeding: source, metainfo: s.metainfo), isSeed: true,
            configuration: LivePeer.Configuration(listenPort: 0), loop: loop,
            strategy: SpeedStrategy(market: market, account: market.join(peer: 0, ledger: .zero, wallet: .zero)),
            log: { _ in })
        try provider.start().wait()
        let requester = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/paid.bin", metainfo: s.metainfo),
            isSeed: false,
            configuration: LivePeer.Configuration(peers: [PeerAddress(ipv4: 0x7F00_0001, port: UInt16(provider.port))]),
            loop: loop,
            strategy: SpeedStrategy(market: market, account: market.join(peer: 1, ledger: .btt(10), wallet: .zero)),
            log: { _ in })
        try requester.start().wait()
        try t.wait(requester.completion, on: loop)
        #expect(FileManager.default.contents(atPath: t.dir + "/paid.bin") == Data(s.data))
        let records = try loop.submit { market.records }.wait()
        #expect(records.contains { $0.kind == .open && $0.payer == 1 && $0.payee == 0 })
        let vouchers = try #require(records.first { $0.kind == .voucher })
        #expect(vouchers.vouchers >= s.metainfo.pieceCount - 1)
        let cost = price.cost(bytes: s.metainfo.length)
        let paid = try loop.submit { market.spent(by: 1) }.wait()
        #expect(abs(paid.baseUnits - cost.baseUnits) <= Int64(s.metainfo.pieceCount))
        #expect(try loop.submit { market.earned(by: 0) == paid && market.isConserved }.wait())
        _ = try? requester.stop().wait()
        _ = try? provider.stop().wait()
    }
}
