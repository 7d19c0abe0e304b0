using BeaconEngine.Rules.Learning;

namespace BeaconEngine.Rules.Offers;

/// <summary>
/// One round of exploration for the offers of a zone that answer one trigger, for one shopper segment:
/// each offer's redemption chance drawn once from its posterior (Thompson sampling), times its worth,
/// and the offers sorted best first. A decision walks this ranking and stops as soon as no later offer
/// can beat the best eligible one, so its cost does not grow with the number of offers in the zone.
/// Immutable; built at most once per round, zone, trigger and segment.
/// </summary>
public sealed class ZoneRanking
{
    internal ZoneRanking(long round, string segment, RedemptionModel model, CompiledOffer[] offers, ulong seed)
    {
        Round = round;
        Segment = segment;
        Model = model;
        var count = offers.Length;
        var chances = new double[count];
        var scores = new double[count];
        var order = new int[count];
        var modelSegment = segment.Length == 0 ? null : segment;
        for (var i = 0; i < count; i++)
        {
            var offer = offers[i];
            var draw = new SplitMix64(seed ^ offer.DrawKey);
            chances[i] = model.PosteriorOf(offer.OfferId, modelSegment).Sample(draw.NextUInt64());
            scores[i] = chances[i] * offer.Worth;
            order[i] = i;
        }

        // Best first; equal scores keep the catalog's order, so the ranking is fully determined by its inputs.
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]) is var byScore and not 0 ? byScore : a.CompareTo(b));
        Offers = new CompiledOffer[count];
        Chances = new double[count];
        Scores = new double[count];
        for (var i = 0; i < count; i++)
        {
            Offers[i] = offers[order[i]];
            Chances[i] = chances[order[i]];
            Scores[i] = scores[order[i]];
        }
    }

    /// <summary>The round: event time divided by the policy's draw round.</summary>
    public long Round { get; }

    /// <summary>The shopper segment whose posteriors were drawn (empty for none).</summary>
    public string Segment { get; }

    internal RedemptionModel Model { get; }

    /// <summary>The offers, best drawn score first.</summary>
    internal CompiledOffer[] Offers { get; }

    /// <summary>The drawn redemption chance of each offer, in ranking order.</summary>
    internal double[] Chances { get; }

    /// <summary>Drawn chance x worth of each offer, in ranking order (non-increasing).</summary>
    internal double[] Scores { get; }
}

/// <summary>
/// The rankings of one zone and trigger: the few latest rounds and segments, replaced as a whole so
/// readers on other threads never see a half-built ranking. Two threads building the same round build the
/// same ranking, so a lost race costs only time.
/// </summary>
internal sealed class RankingSlot
{
    /// <summary>Enough for the segments of one round plus a late backlog's earlier round.</summary>
    private const int Capacity = 8;

    private ZoneRanking[] _rankings = [];

    /// <param name="seed">The store's and zone's seed; the round and segment are mixed in when a ranking is built.</param>
    public ZoneRanking Get(long round, string segment, RedemptionModel model, CompiledOffer[] offers, ulong seed)
    {
        var current = Volatile.Read(ref _rankings);
        foreach (var ranking in current)
        {
            if (ranking.Round == round && ReferenceEquals(ranking.Model, model) && string.Equals(ranking.Segment, segment, StringComparison.Ordinal))
            {
                return ranking;
            }
        }

        var roundSeed = SplitMix64.Hash(segment, seed) ^ ((ulong)round * 0x9E3779B97F4A7C15);
        var made = new ZoneRanking(round, segment, model, offers, roundSeed);
        var keep = Math.Min(current.Length, Capacity - 1);
        var next = new ZoneRanking[keep + 1];
        Array.Copy(current, current.Length - keep, next, 0, keep);
        next[keep] = made;
        Volatile.Write(ref _rankings, next);
        return made;
    }
}
