using BeaconEngine.Rules.Learning;
using BeaconEngine.Rules.Offers;
using BeaconEngine.Rules.Policy;
using BeaconEngine.Rules.Selection;

namespace BeaconEngine.Rules.Tests;

public sealed class OfferEngineTests
{
    // Monday 23 November 2026, 10:00 UTC = 11:00 in Warsaw (CET, UTC+1).
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
    private readonly RedemptionModel _model = new();
    private readonly FakeShopper _shopper = new();

    [Fact]
    public void Only_offers_of_the_event_zone_and_trigger_are_candidates()
    {
        var catalog = Catalog(
            Offer("dairy-enter", "dairy"),
            Offer("dairy-dwell", "dairy", minDwell: 30),
            Offer("dairy-exit", "dairy", trigger: OfferTrigger.Exit),
            Offer("snacks", "snacks"));

        Assert.Equal(["dairy-enter"], Eligible(catalog, Enter("dairy")));
        Assert.Equal(["dairy-dwell"], Eligible(catalog, Dwell("dairy", 30)));
        Assert.Equal(["dairy-exit"], Eligible(catalog, new ZoneEvent("dairy", OfferTrigger.Exit, TimeSpan.FromMinutes(2), Now)));
        Assert.Empty(Eligible(catalog, Enter("bakery")));
    }

    [Theory]
    [InlineData(29, Exclusion.DwellTooShort)]
    [InlineData(30, Exclusion.None)]
    public void A_dwell_offer_waits_for_its_minimum_dwell(int dwellSeconds, Exclusion expected) =>
        Assert.Equal(expected, Outcome(Catalog(Offer("o", "dairy", minDwell: 30)), Dwell("dairy", dwellSeconds), "o"));

    [Fact]
    public void An_exit_offer_with_a_minimum_dwell_asks_that_the_shopper_stayed_that_long()
    {
        var catalog = Catalog(Offer("o", "dairy", minDwell: 60, trigger: OfferTrigger.Exit));
        Assert.Equal(Exclusion.DwellTooShort, Outcome(catalog, new ZoneEvent("dairy", OfferTrigger.Exit, TimeSpan.FromSeconds(59), Now), "o"));
        Assert.Equal(Exclusion.None, Outcome(catalog, new ZoneEvent("dairy", OfferTrigger.Exit, TimeSpan.FromSeconds(60), Now), "o"));
    }

    [Fact]
    public void The_validity_window_includes_its_start_and_excludes_its_end()
    {
        var catalog = Catalog(Offer("o", "dairy") with { ValidFrom = Now, ValidTo = Now.AddHours(1) });
        Assert.Equal(Exclusion.NotYetValid, Outcome(catalog, Enter("dairy", Now.AddTicks(-1)), "o"));
        Assert.Equal(Exclusion.None, Outcome(catalog, Enter("dairy", Now), "o"));
        Assert.Equal(Exclusion.Expired, Outcome(catalog, Enter("dairy", Now.AddHours(1)), "o"));
    }

    [Fact]
    public void Schedules_are_read_in_the_stores_local_time()
    {
        // Mornings, Monday to Friday, Warsaw time.
        var weekdayMornings = new OfferSchedule
        {
            Days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            From = new TimeOnly(8, 0),
            To = new TimeOnly(11, 0),
        };
        var catalog = Catalog(Warsaw, Offer("o", "dairy") with { Schedule = weekdayMornings });

        Assert.Equal(Exclusion.None, Outcome(catalog, Enter("dairy", Now.AddMinutes(-61)), "o"));          // 09:59 local
        Assert.Equal(Exclusion.OutsideSchedule, Outcome(catalog, Enter("dairy", Now), "o"));                // 11:00 local: closed
        Assert.Equal(Exclusion.OutsideSchedule, Outcome(catalog, Enter("dairy", Now.AddDays(-2).AddHours(-1)), "o")); // Saturday 10:00
        Assert.Equal(Exclusion.None, Outcome(catalog, Enter("dairy", new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero)), "o")); // 08:00 local opens
    }

    [Fact]
    public void A_window_over_midnight_belongs_to_the_day_it_opened()
    {
        var lateFriday = new OfferSchedule { Days = [DayOfWeek.Friday], From = new TimeOnly(22, 0), To = new TimeOnly(2, 0) };
        var catalog = Catalog(TimeZoneInfo.Utc, Offer("o", "dairy") with { Schedule = lateFriday });
        var friday = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(Exclusion.None, Outcome(catalog, Enter("dairy", friday.AddHours(23)), "o"));
        Assert.Equal(Exclusion.None, Outcome(catalog, Enter("dairy", friday.AddDays(1).AddHours(1.5)), "o"));   // Saturday 01:30
        Assert.Equal(Exclusion.OutsideSchedule, Outcome(catalog, Enter("dairy", friday.AddHours(1)), "o"));      // Friday 01:00 is Thursday's night
        Assert.Equal(Exclusion.OutsideSchedule, Outcome(catalog, Enter("dairy", friday.AddDays(1).AddHours(23)), "o"));
    }

    [Fact]
    public void Daylight_saving_moves_the_utc_hours_of_a_local_schedule()
    {
        // 09:00-10:00 local in Warsaw: 08:00 UTC in winter (CET), 07:00 UTC in summer (CEST).
        var catalog = Catalog(Warsaw, Offer("o", "dairy") with { Schedule = new OfferSchedule { From = new TimeOnly(9, 0), To = new TimeOnly(10, 0) } });
        var winter = new DateTimeOffset(2026, 3, 28, 8, 30, 0, TimeSpan.Zero);  // Saturday before the change
        var summer = new DateTimeOffset(2026, 3, 29, 8, 30, 0, TimeSpan.Zero);  // Sunday after 02:00 -> 03:00

        Assert.Equal(Exclusion.None, Outcome(catalog, Enter("dairy", winter), "o"));           // 09:30 CET
        Assert.Equal(Exclusion.OutsideSchedule, Outcome(catalog, Enter("dairy", summer), "o")); // 10:30 CEST
        Assert.Equal(Exclusion.None, Outcome(catalog, Enter("dairy", summer.AddHours(-1)), "o"));
    }

    [Fact]
    public void The_daily_cap_counts_from_local_midnight_across_daylight_saving()
    {
        var catalog = Catalog(Warsaw, Offer("o", "dairy", maxPerShopper: 10));
        var sunday = new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), OfferEngine.StartOfLocalDay(sunday, Warsaw));

        // Three coupons since local midnight (one just after it): capped.
        _shopper.CouponTimes.AddRange([sunday.AddHours(-12.9), sunday.AddHours(-2), sunday.AddHours(-1)]);
        Assert.Equal(Exclusion.DailyCap, OfferEngine.Decide(catalog, Enter("dairy", sunday), _shopper, _model).BlockedBy);

        // One of them was before local midnight: not capped.
        _shopper.CouponTimes[0] = sunday.AddHours(-13.1);
        Assert.Equal(DecisionKind.Issue, OfferEngine.Decide(catalog, Enter("dairy", sunday), _shopper, _model).Kind);
    }

    [Fact]
    public void Contact_limits_stop_every_offer_until_they_pass()
    {
        var catalog = Catalog(Offer("a", "dairy"), Offer("b", "dairy"));
        _shopper.CouponTimes.Add(Now.AddMinutes(-4));
        Assert.Equal(Exclusion.MinGap, OfferEngine.Decide(catalog, Enter("dairy"), _shopper, _model).BlockedBy);
        Assert.Equal(DecisionKind.Issue, OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(1)), _shopper, _model).Kind);

        _shopper.LastDismissalAt = Now.AddMinutes(-20);
        Assert.Equal(Exclusion.QuietAfterDismissal, OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(9)), _shopper, _model).BlockedBy);
        Assert.Equal(DecisionKind.Issue, OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(10)), _shopper, _model).Kind);

        _shopper.AcceptsOffers = false;
        Assert.Equal(Exclusion.NoOfferConsent, OfferEngine.Decide(catalog, Enter("dairy", Now.AddHours(1)), _shopper, _model).BlockedBy);
    }

    [Fact]
    public void Contact_limits_are_judged_when_the_coupon_would_be_sent_and_schedules_when_the_shopper_was_there()
    {
        // A backlog: the shopper was in the aisle at 09:59 local (10:59 is outside the window), but the batch arrives now.
        var catalog = Catalog(Warsaw, Offer("o", "dairy") with { Schedule = new OfferSchedule { From = new TimeOnly(8, 0), To = new TimeOnly(10, 0) } });
        _shopper.CouponTimes.Add(Now);
        var backlog = new ZoneEvent("dairy", OfferTrigger.Enter, TimeSpan.Zero, Now.AddMinutes(-61), SentAt: Now.AddMinutes(6));

        Assert.Equal(DecisionKind.Issue, OfferEngine.Decide(catalog, backlog, _shopper, _model).Kind);
        Assert.Equal(Exclusion.MinGap, OfferEngine.Decide(catalog, backlog with { SentAt = Now.AddMinutes(4) }, _shopper, _model).BlockedBy);
    }

    [Fact]
    public void An_offers_own_caps_are_stricter_than_the_stores_for_that_offer_only()
    {
        var catalog = Catalog(
            Offer("shy", "dairy") with { Caps = new OfferCaps { MaxCouponsToday = 1, MinGap = TimeSpan.FromMinutes(60), QuietAfterDismissal = TimeSpan.FromHours(24) } },
            Offer("plain", "dairy"));

        _shopper.CouponTimes.Add(Now.AddMinutes(-30));
        var (_, candidates) = OfferEngine.Explain(catalog, Enter("dairy"), _shopper, _model);
        Assert.Equal(Exclusion.OfferDailyCap, candidates.Single(c => c.OfferId == "shy").Exclusion);
        Assert.Equal(Exclusion.None, candidates.Single(c => c.OfferId == "plain").Exclusion);

        var loose = Catalog(Offer("shy", "dairy") with { Caps = new OfferCaps { MinGap = TimeSpan.FromMinutes(60) } });
        Assert.Equal(Exclusion.OfferMinGap, Outcome(loose, Enter("dairy"), "shy"));
        Assert.Equal(Exclusion.None, Outcome(loose, Enter("dairy", Now.AddMinutes(31)), "shy"));

        _shopper.CouponTimes.Clear();
        _shopper.LastDismissalAt = Now.AddHours(-2);
        var quiet = Catalog(Offer("shy", "dairy") with { Caps = new OfferCaps { QuietAfterDismissal = TimeSpan.FromHours(24) } });
        Assert.Equal(Exclusion.OfferQuietAfterDismissal, Outcome(quiet, Enter("dairy"), "shy"));
    }

    [Fact]
    public void The_audience_matches_segments_tiers_visits_and_interests()
    {
        var catalog = Catalog(
            Offer("vegan", "dairy") with { Audience = new OfferAudience { Segments = ["vegan", "lactose-free"] } },
            Offer("gold", "dairy") with { Audience = new OfferAudience { LoyaltyTiers = ["gold"] } },
            Offer("regulars", "dairy") with { Audience = new OfferAudience { MinVisits = 5 } },
            Offer("welcome", "dairy") with { Audience = new OfferAudience { Visitors = VisitorKind.New } },
            Offer("returning", "dairy") with { Audience = new OfferAudience { Visitors = VisitorKind.Returning } },
            Offer("fans", "dairy", category: "cheese") with { Audience = new OfferAudience { RequiresInterest = true } });

        Assert.Equal(["welcome"], Eligible(catalog, Enter("dairy")));

        _shopper.Segments.Add("lactose-free");
        _shopper.LoyaltyTier = "gold";
        _shopper.VisitCount = 5;
        _shopper.Interests.Add("cheese");
        Assert.Equal(["fans", "gold", "regulars", "returning", "vegan"], Eligible(catalog, Enter("dairy")).Order());
    }

    [Fact]
    public void Opted_out_categories_are_never_offered()
    {
        var catalog = Catalog(Offer("cheese", "dairy", category: "cheese"), Offer("milk", "dairy", category: "milk"));
        _shopper.OptedOut.Add("cheese");
        Assert.Equal(["milk"], Eligible(catalog, Enter("dairy")));
    }

    [Fact]
    public void Per_shopper_caps_budgets_and_the_control_group_exclude_an_offer()
    {
        var catalog = Catalog(Offer("twice", "dairy", maxPerShopper: 2), Offer("spent", "dairy"), Offer("held", "dairy"));
        _shopper.Received["twice"] = 2;
        _shopper.Spent.Add("spent");
        _shopper.HeldOut.Add("held");

        var (_, candidates) = OfferEngine.Explain(catalog, Enter("dairy"), _shopper, _model, _shopper);
        Assert.Equal(
            [("held", Exclusion.InControlGroup), ("spent", Exclusion.BudgetSpent), ("twice", Exclusion.PerShopperCap)],
            candidates.Select(c => (c.OfferId, c.Exclusion)).OrderBy(c => c.OfferId, StringComparer.Ordinal));
    }

    [Fact]
    public void A_shopper_who_dismisses_a_category_twice_stops_getting_it_and_caps_are_never_exceeded()
    {
        var policy = ContactPolicy.Default with { MinGap = TimeSpan.Zero, QuietAfterDismissal = TimeSpan.Zero, MaxCouponsPerDay = 100 };
        var catalog = new OfferCatalog(
            [Offer("cheese-1", "dairy", category: "cheese", maxPerShopper: 50), Offer("cheese-2", "dairy", category: "cheese", maxPerShopper: 50), Offer("milk", "dairy", category: "milk", maxPerShopper: 3)],
            TimeZoneInfo.Utc,
            policy);
        var at = Now;
        var issued = new List<string>();

        // The shopper dismisses every cheese coupon and keeps (never redeems) milk ones.
        for (var i = 0; i < 40; i++, at = at.AddMinutes(1))
        {
            var decision = OfferEngine.Decide(catalog, Enter("dairy", at), _shopper, _model, _shopper);
            if (decision.Kind != DecisionKind.Issue)
            {
                continue;
            }

            var offer = decision.Offer!;
            issued.Add(offer.OfferId);
            _shopper.Receive(offer.OfferId, at);
            if (offer.Category == "cheese")
            {
                _shopper.Dismiss(offer.Category, offer.BrandId, at);
            }
        }

        Assert.Equal(2, issued.Count(o => o.StartsWith("cheese", StringComparison.Ordinal)));
        Assert.Equal(3, issued.Count(o => o == "milk"));
        Assert.Equal(5, issued.Count);
        Assert.Equal(Exclusion.DismissedCategory, Outcome(catalog, Enter("dairy", at), "cheese-1"));
    }

    [Fact]
    public void Dismissals_lower_and_redemptions_raise_a_brands_scores()
    {
        var catalog = Catalog(Offer("acme", "dairy", brand: "acme"), Offer("other", "dairy", brand: "other"));
        _shopper.Brands["acme"] = 2;
        var acmeWins = Enumerable.Range(0, 200).Count(i => OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(i)), _shopper, _model).Offer!.OfferId == "acme");
        _shopper.Brands["acme"] = -1;
        var acmeWinsAfterDismissals = Enumerable.Range(0, 200).Count(i => OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(i)), _shopper, _model).Offer!.OfferId == "acme");

        // Equal offers: a liking of +2 (e^1, 2.7x) wins most draws, a dislike of -1 (e^-0.5) a minority.
        Assert.True(acmeWins >= 120, $"liked brand won {acmeWins} of 200");
        Assert.True(acmeWinsAfterDismissals <= 90, $"dismissed brand still won {acmeWinsAfterDismissals} of 200");
    }

    [Fact]
    public void Thompson_sampling_exploits_a_proven_offer_and_still_explores_a_new_one()
    {
        var catalog = Catalog(Offer("proven", "dairy"), Offer("new", "dairy"));
        _model.Seed("proven", redeemed: 300, notRedeemed: 700);   // 30 % redeemed, well known
        var provenWins = Enumerable.Range(0, 1000)
            .Count(i => OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(i)), new FakeShopper { ShopperKey = $"s{i}" }, _model).Offer!.OfferId == "proven");

        // The new offer's prior mean is 10 %, but its wide posterior still wins sometimes.
        Assert.InRange(provenWins, 850, 995);
    }

    [Fact]
    public void Decisions_are_deterministic_for_the_same_inputs_and_seed()
    {
        var catalog = Catalog(Offer("a", "dairy"), Offer("b", "dairy"), Offer("c", "dairy"));
        var first = Enumerable.Range(0, 50).Select(i => OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(i)), _shopper, _model).Offer!.OfferId).ToList();
        var second = Enumerable.Range(0, 50).Select(i => OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(i)), _shopper, _model).Offer!.OfferId).ToList();
        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 1, "all three equal offers should win sometimes");
    }

    [Fact]
    public void Holdout_assignment_is_stable_per_shopper_and_offer_and_holds_about_its_share()
    {
        var catalog = Catalog(Offer("o", "dairy") with { HoldoutShare = 0.2 });
        var compiled = catalog.Candidates("dairy", OfferTrigger.Enter)[0];
        var held = Enumerable.Range(0, 10_000).Count(i => OfferEngine.InControlGroup(compiled, $"shp_{i}"));
        Assert.InRange(held, 1_850, 2_150);

        for (var i = 0; i < 100; i++)
        {
            var key = $"shp_{i}";
            var decision = OfferEngine.Decide(catalog, Enter("dairy", Now.AddMinutes(i)), new FakeShopper { ShopperKey = key }, _model);
            Assert.Equal(OfferEngine.InControlGroup(compiled, key) ? DecisionKind.Holdout : DecisionKind.Issue, decision.Kind);
        }

        var none = Catalog(Offer("o", "dairy") with { HoldoutShare = 0 }).Candidates("dairy", OfferTrigger.Enter)[0];
        Assert.DoesNotContain(Enumerable.Range(0, 10_000), i => OfferEngine.InControlGroup(none, $"shp_{i}"));
    }

    [Fact]
    public void Explain_gives_every_candidate_its_outcome_and_the_winner_its_score()
    {
        var catalog = Catalog(Offer("short", "dairy", minDwell: 60), Offer("a", "dairy", minDwell: 10), Offer("b", "dairy", minDwell: 10));
        var (decision, candidates) = OfferEngine.Explain(catalog, Dwell("dairy", 20), _shopper, _model);

        Assert.Equal(DecisionKind.Issue, decision.Kind);
        Assert.Equal(Exclusion.DwellTooShort, candidates.Single(c => c.OfferId == "short").Exclusion);
        var winner = candidates.Single(c => c.OfferId == decision.Offer!.OfferId);
        Assert.Equal(Exclusion.None, winner.Exclusion);
        Assert.Equal(decision.Score, winner.Score);
        Assert.Equal(Exclusion.LowerScore, candidates.Single(c => c.OfferId != "short" && c.OfferId != decision.Offer!.OfferId).Exclusion);

        // Explaining decides exactly as deciding does.
        Assert.Equal(decision, OfferEngine.Decide(catalog, Dwell("dairy", 20), _shopper, _model));
    }

    [Fact]
    public void Stopping_early_on_the_ranking_decides_exactly_as_looking_at_every_offer()
    {
        // Large zones with mixed conditions and shoppers with likings: Decide stops early, Explain looks at all.
        var random = new Random(7);
        var categories = new[] { "dairy", "bakery", "snacks", "drinks" };
        for (var round = 0; round < 40; round++)
        {
            var offers = Enumerable.Range(0, 200).Select(i => Offer($"o{i}", "dairy", minDwell: random.Next(0, 4) * 10, brand: $"b{random.Next(6)}") with
            {
                Category = categories[random.Next(categories.Length)],
                Priority = 0.5 + random.NextDouble(),
                Trigger = OfferTrigger.Dwell,
                Audience = new OfferAudience { MinVisits = random.Next(1, 4) },
            }).ToArray();
            var catalog = Catalog(offers);
            var shopper = new FakeShopper { ShopperKey = $"s{round}", VisitCount = random.Next(1, 4) };
            shopper.OptedOut.Add(categories[random.Next(categories.Length)]);
            shopper.Categories[categories[random.Next(categories.Length)]] = random.Next(-1, 3);
            shopper.Brands[$"b{random.Next(6)}"] = random.Next(-1, 4);
            var e = new ZoneEvent("dairy", OfferTrigger.Dwell, TimeSpan.FromSeconds(random.Next(0, 40)), Now.AddMinutes(round));

            var decided = OfferEngine.Decide(catalog, e, shopper, _model);
            var (explained, candidates) = OfferEngine.Explain(catalog, e, shopper, _model);
            Assert.Equal(explained, decided);
            var best = candidates.Where(c => c.Score is not null).MaxBy(c => c.Score!.Value);
            Assert.Equal(best?.OfferId, decided.Offer?.OfferId);
        }
    }

    [Fact]
    public void A_zones_draws_are_made_once_a_round_and_do_not_depend_on_the_catalogs_order()
    {
        var offers = Enumerable.Range(0, 50).Select(i => Offer($"o{i}", "dairy") with { Priority = 1 + (i % 5) }).ToArray();
        var forward = Catalog(offers);
        var backward = Catalog([.. offers.Reverse()]);
        var first = forward.Ranking("dairy", OfferTrigger.Enter, Now, null, _model);
        Assert.Same(first, forward.Ranking("dairy", OfferTrigger.Enter, Now.AddSeconds(59), null, _model));
        Assert.NotSame(first, forward.Ranking("dairy", OfferTrigger.Enter, Now.AddMinutes(1), null, _model));
        Assert.Null(forward.Ranking("bakery", OfferTrigger.Enter, Now, null, _model));

        for (var i = 0; i < 30; i++)
        {
            var e = Enter("dairy", Now.AddMinutes(i));
            var shopper = new FakeShopper { ShopperKey = $"s{i}" };
            Assert.Equal(OfferEngine.Decide(forward, e, shopper, _model).Offer!.OfferId, OfferEngine.Decide(backward, e, shopper, _model).Offer!.OfferId);
        }
    }

    private static OfferCatalog Catalog(params Offer[] offers) => new(offers, TimeZoneInfo.Utc);

    private static OfferCatalog Catalog(TimeZoneInfo zone, params Offer[] offers) => new(offers, zone);

    private static ZoneEvent Enter(string zone, DateTimeOffset? at = null) => new(zone, OfferTrigger.Enter, TimeSpan.Zero, at ?? Now);

    private static ZoneEvent Dwell(string zone, int seconds) => new(zone, OfferTrigger.Dwell, TimeSpan.FromSeconds(seconds), Now);

    private string[] Eligible(OfferCatalog catalog, ZoneEvent e) =>
        [.. OfferEngine.Explain(catalog, e, _shopper, _model, _shopper).Candidates
            .Where(c => c.Exclusion is Exclusion.None or Exclusion.LowerScore).Select(c => c.OfferId)];

    private Exclusion Outcome(OfferCatalog catalog, ZoneEvent e, string offerId)
    {
        var (decision, candidates) = OfferEngine.Explain(catalog, e, _shopper, _model, _shopper);
        return decision.BlockedBy != Exclusion.None ? decision.BlockedBy : candidates.Single(c => c.OfferId == offerId).Exclusion is Exclusion.LowerScore ? Exclusion.None : candidates.Single(c => c.OfferId == offerId).Exclusion;
    }

    private static Offer Offer(
        string id, string zone, int minDwell = 0, OfferTrigger? trigger = null, int maxPerShopper = 1, string? category = null, string brand = "brand") => new()
    {
        OfferId = id,
        BrandId = brand,
        ZoneIds = [zone],
        Discount = new Discount(DiscountKind.Percent, 20),
        MinDwell = TimeSpan.FromSeconds(minDwell),
        Trigger = trigger,
        MaxPerShopper = maxPerShopper,
        Category = category,
        HoldoutShare = 0,
    };
}
