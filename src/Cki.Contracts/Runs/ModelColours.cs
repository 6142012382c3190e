namespace Cki.Contracts.Runs;

/// <summary>
/// The colour of each input model (model A first) in every picture of a run: the splice jobs' plots, the report's
/// plots and the dashboard (whose script keeps the same list), so that a model has one colour wherever it is drawn.
/// </summary>
public static class ModelColours
{
    private static readonly string[] Palette = ["#2e6fdb", "#e07b1a", "#2f9e5a", "#a23fbf", "#c9372c", "#138a96", "#8a6d1f", "#5a5f6b"];

    /// <summary>The colour (<c>#rrggbb</c>) of model <paramref name="index"/> (0 = model A); the list repeats after eight models.</summary>
    public static string Of(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Palette[index % Palette.Length];
    }
}
