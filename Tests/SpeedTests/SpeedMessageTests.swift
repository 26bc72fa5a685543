import BitTorrent
import Crypto
import Foundation
import Incentives
import Testing

@testable import Speed

@Suite struct SpeedMessageTests {
    static let signer = try! VoucherSigner(seed: Array(repeating: 9, count: 32))

    @Test(arguments: [
        SpeedMessage.bid(.bttPerGiB(0.5)), .accept(.bttPerGiB(2)),
        .open(channel: 7, deposit: .btt(5), key: signer.publicKey),
        .voucher(try! signer.sign(channel: 7, cumulative: .btt(1.25))), .close(channel: 7), .release,
    ])
    func everyMessageSurvivesItsEncoding(_ message: SpeedMessage) throws {
        #expect(try SpeedMessage(decoding: message.encoded()) == message)
    }

    @Test func theEncodingIsCanonicalBencode() {
        #expect(
            String(decoding: SpeedMessage.bid(.bttPerGiB(0.5)).encoded(), as: UTF8.self) == "d5:pricei500000e1:t3:bide")
    }

    @Test(arguments: [
        "d1:t3:bide", "d5:pricei-1e1:t3:bide", "d1:t5:hello5:pricei1ee", "le",
        "d1:t7:voucher7:channeli1e6:amounti5e3:sig2:xxe",
        "d7:channeli1e7:depositi5e3:key3:abc1:t4:opene", "garbage",
        // One base unit above BTT's supply (990e9 BTT = 9.9e17 units), as price and as deposit.
        "d5:pricei990000000000000001e1:t3:bide", "d5:pricei9223372036854775807e1:t6:accepte",
    ])
    func malformedMessagesAreViolations(_ text: String) {
        #expect(throws: ProtocolViolation.malformedExtensionMessage) { try SpeedMessage(decoding: Array(text.utf8)) }
    }

    @Test func theWholeSupplyIsStillAValidAmount() throws {
        let all = Genesis.supply
        #expect(
            try SpeedMessage(decoding: SpeedMessage.bid(Price(baseUnitsPerGiB: all.baseUnits)).encoded())
                == .bid(Price(baseUnitsPerGiB: all.baseUnits)))
        let voucher = SpeedMessage.voucher(
            try Self.signer.sign(channel: 1, cumulative: all + TokenAmount(baseUnits: 1)))
        #expect(throws: ProtocolViolation.malformedExtensionMessage) { try SpeedMessage(decoding: voucher.encoded()) }
    }

    @Test func theExtensionHandshakeCarriesTheMessageIDAndAccount() throws {
        var fields = BencodeDictionary()
        fields["speed_account"] = 42
        let sent = ExtensionHandshake(messages: ["bt_speed": 1, "ut_pex": 2], client: "btsim", fields: fields)
        let got = try ExtensionHandshake(decoding: sent.encoded())
        #expect(got == sent)
        // BEP 10: an id of 0 switches an extension off; unknown keys are ignored.
        let off = try ExtensionHandshake(decoding: Array("d1:md8:bt_speedi0e6:ut_pexi3ee1:xi1ee".utf8))
        #expect(off.messages == ["ut_pex": 3])
        #expect(throws: ProtocolViolation.malformedExtensionMessage) {
            try ExtensionHandshake(decoding: Array("d1:vi1ee".utf8))
        }
    }
}
