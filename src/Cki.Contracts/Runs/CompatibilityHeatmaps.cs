namespace Cki.Contracts.Runs;

/// <summary>
/// <c>model-{i}-of-{n}.heatmap.json</c> beside a splice shard: for every spliced tensor of the shard, a picture-sized
/// view of its compatibility map (which model each element came from), so that the dashboard can draw it without
/// reading tensors. Bounded: at most <see cref="TensorHeatmap.MaxCells"/> x <see cref="TensorHeatmap.MaxCells"/> cells per tensor.
/// </summary>
/// <param name="Method">The merge method that made the map.</param>
/// <param name="Models">The inputs, model A first (the indexes of <see cref="TensorHeatmap.Winner"/>).</param>
/// <param name="Tensors">One heatmap per spliced tensor of the shard.</param>
public sealed record CompatibilityHeatmaps(string Method, IReadOnlyList<string> Models, IReadOnlyList<TensorHeatmap> Tensors);

/// <summary>
/// One tensor's compatibility map, downsampled. The tensor is seen as a matrix (its first dimension by the product of
/// the others; a vector is one row); the matrix is cut into at most <see cref="MaxCells"/> row bands and column bands,
/// element <c>(r, c)</c> falling into cell <c>(r * Rows / rows, c * Columns / columns)</c>.
/// </summary>
/// <param name="Tensor">The tensor's name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Rows">Cell rows.</param>
/// <param name="Columns">Cell columns.</param>
/// <param name="Winner">Per cell (row by row), the model that gave the most of its elements (ties to the lower index).</param>
/// <param name="Share">Per cell, the fraction of its elements that came from <see cref="Winner"/> (rounded to 4 decimals).</param>
public sealed record TensorHeatmap(string Tensor, IReadOnlyList<long> Shape, int Rows, int Columns, IReadOnlyList<int> Winner, IReadOnlyList<double> Share)
{
    /// <summary>The most cell rows, and the most cell columns, of one heatmap.</summary>
    public const int MaxCells = 64;

    /// <summary>
    /// The heatmap of a tensor of <paramref name="shape"/> whose element <c>i</c> (row-major) came from model
    /// <c>winners[i]</c>; a single winner stands for every element (a map with one weight per tensor).
    /// </summary>
    public static TensorHeatmap FromWinners(string tensor, IReadOnlyList<long> shape, ReadOnlySpan<long> winners, int models)
    {
        ArgumentException.ThrowIfNullOrEmpty(tensor);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(models, 1);
        var (rows, columns) = AsMatrix(shape);
        if (winners.Length == 1)
        {
            // One decision for the whole tensor: one cell says it all.
            var only = Check(winners[0], models, tensor);
            return new TensorHeatmap(tensor, shape, 1, 1, [only], [1.0]);
        }

        if (winners.Length != rows * columns)
        {
            throw new ArgumentException($"{tensor}: {winners.Length} winners for a tensor of {rows * columns} elements.", nameof(winners));
        }

        var cellRows = (int)Math.Min(rows, MaxCells);
        var cellColumns = (int)Math.Min(columns, MaxCells);
        var counts = new long[cellRows * cellColumns * models];
        for (long r = 0; r < rows; r++)
        {
            var cellRow = r * cellRows / rows;
            for (long c = 0; c < columns; c++)
            {
                var cell = (cellRow * cellColumns) + (c * cellColumns / columns);
                counts[(cell * models) + Check(winners[(int)((r * columns) + c)], models, tensor)]++;
            }
        }

        var winner = new int[cellRows * cellColumns];
        var share = new double[winner.Length];
        for (var cell = 0; cell < winner.Length; cell++)
        {
            var slice = counts.AsSpan(cell * models, models);
            long total = 0, best = -1;
            for (var k = 0; k < models; k++)
            {
                total += slice[k];
                if (slice[k] > best)
                {
                    (best, winner[cell]) = (slice[k], k);
                }
            }

            share[cell] = Math.Round((double)best / total, 4);
        }

        return new TensorHeatmap(tensor, shape, cellRows, cellColumns, winner, share);
    }

    private static (long Rows, long Columns) AsMatrix(IReadOnlyList<long> shape) =>
        shape.Count switch
        {
            0 => (1, 1),
            1 => (1, Math.Max(1, shape[0])),
            _ => (Math.Max(1, shape[0]), Math.Max(1, shape.Skip(1).Aggregate(1L, (a, b) => a * b))),
        };

    private static int Check(long winner, int models, string tensor) =>
        winner >= 0 && winner < models ? (int)winner
        : throw new ArgumentOutOfRangeException(nameof(winner), $"{tensor}: model index {winner} is not one of the {models} models.");
}
