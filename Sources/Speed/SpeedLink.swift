import BitTorrent
import Incentives
import SimKernel

/// What a Speed peer knows about one connection, in both roles: as requester (we buy the
/// remote's uploads) and as provider (we sell ours).
struct SpeedLink {
    let id: ConnectionID
    /// The remote's id for `bt_speed` and its ledger account, from its BEP 10 handshake;
    /// nil while unknown or when the remote does not speak Speed.
    var remoteMessageID: UInt8?
    var remoteAccount: AccountID?

    // Requester side.
    /// The bid we last sent, if it stands.
    var sentBid: Price?
    /// The remote sold us a regular slot at this price.
    var boughtPrice: Price?
    /// `SpeedBidStyle.shaded`: the bid just above the last clearing price this remote
    /// sold us a slot at; nil: the rule's price.
    var shadedBid: Price?
    var payer: ChannelPayer?
    /// Bytes received on the paid slot and not yet covered by a voucher.
    var unpaidBytes: Int64 = 0
    var lastPaidAt = SimTime.zero

    // Provider side.
    /// The remote's standing bid.
    var bid: Price?
    /// We sold the remote a regular slot at this price; nil: its slot (if any) is free.
    var soldPrice: Price?
    var payee: ChannelPayee?
    /// Cost of the blocks admitted under the current channel: never above its deposit.
    var servedCost = TokenAmount.zero
    var vouchers = 0
    var lastVoucherAt = SimTime.zero

    init(id: ConnectionID) { self.id = id }

    var speaksSpeed: Bool { remoteMessageID != nil && remoteAccount != nil }
}
