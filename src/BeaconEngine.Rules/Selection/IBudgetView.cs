namespace BeaconEngine.Rules.Selection;

/// <summary>Which offers have spent their budget, as far as the caller knows (budgets are reserved elsewhere).</summary>
public interface IBudgetView
{
    bool IsSpent(string offerId);
}
