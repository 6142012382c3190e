using System.Globalization;
using System.Text;

namespace Cki.Compute.Data.MovieLens;

/// <summary>One rating: a user rated a movie at a time (seconds since 1970).</summary>
/// <param name="UserId">The user.</param>
/// <param name="MovieId">The movie.</param>
/// <param name="Rating">0.5 to 5 stars.</param>
/// <param name="Timestamp">When, in Unix seconds.</param>
public readonly record struct MovieRating(int UserId, int MovieId, float Rating, long Timestamp);

/// <summary>A movie's title and genres (<c>|</c>-separated, as GroupLens writes them).</summary>
/// <param name="MovieId">The movie.</param>
/// <param name="Title">Its title.</param>
/// <param name="Genres">Its genres.</param>
public sealed record Movie(int MovieId, string Title, IReadOnlyList<string> Genres);

/// <summary>
/// MovieLens ratings and movies in GroupLens' own CSV layout (<c>ratings.csv</c>: userId,movieId,rating,timestamp;
/// <c>movies.csv</c>: movieId,title,genres), which is also the cache format of <c>data fetch movielens</c>.
/// </summary>
public sealed record MovieLensData(IReadOnlyList<MovieRating> Ratings, IReadOnlyDictionary<int, Movie> Movies)
{
    /// <summary>The ratings file name.</summary>
    public const string RatingsFile = "ratings.csv";

    /// <summary>The movies file name.</summary>
    public const string MoviesFile = "movies.csv";

    private const long MaxFileBytes = 2L << 30;

    /// <summary>Reads <c>ratings.csv</c> and <c>movies.csv</c> from <paramref name="folder"/>; errors name the file and line.</summary>
    public static MovieLensData Load(string folder)
    {
        var movies = new Dictionary<int, Movie>();
        foreach (var (line, fields, file) in Rows(Path.Combine(folder, MoviesFile), "movieId,title,genres", 3))
        {
            var id = Int(fields[0], file, line, "movieId");
            movies[id] = new Movie(id, fields[1], fields[2] == "(no genres listed)" ? [] : fields[2].Split('|'));
        }

        var ratings = new List<MovieRating>();
        foreach (var (line, fields, file) in Rows(Path.Combine(folder, RatingsFile), "userId,movieId,rating,timestamp", 4))
        {
            var rating = float.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 5
                ? r
                : throw new FormatException($"{file}:{line}: rating '{fields[2]}' is not a number from 0 to 5.");
            ratings.Add(new MovieRating(Int(fields[0], file, line, "userId"), Int(fields[1], file, line, "movieId"), rating,
                long.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : throw new FormatException($"{file}:{line}: timestamp '{fields[3]}' is not an integer.")));
        }

        return new MovieLensData(ratings, movies);
    }

    /// <summary>Writes both files to <paramref name="folder"/> (each to a temporary name first, then renamed).</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        Write(Path.Combine(folder, MoviesFile), "movieId,title,genres",
            Movies.Values.OrderBy(m => m.MovieId).Select(m => $"{m.MovieId},{Quote(m.Title)},{Quote(m.Genres.Count == 0 ? "(no genres listed)" : string.Join('|', m.Genres))}"));
        Write(Path.Combine(folder, RatingsFile), "userId,movieId,rating,timestamp",
            Ratings.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.UserId},{r.MovieId},{r.Rating},{r.Timestamp}")));
    }

    private static void Write(string path, string header, IEnumerable<string> lines)
    {
        var temporary = path + ".partial";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
        {
            writer.NewLine = "\n";
            writer.WriteLine(header);
            foreach (var line in lines)
            {
                writer.WriteLine(line);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static int Int(string text, string file, int line, string field) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{file}:{line}: {field} '{text}' is not an integer.");

    private static IEnumerable<(int Line, string[] Fields, string File)> Rows(string path, string header, int count)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: missing (expected GroupLens' {Path.GetFileName(path)} with header '{header}').", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new FormatException($"{path}: {info.Length} bytes is over the {MaxFileBytes}-byte limit.");
        }

        using var reader = new StreamReader(path, Encoding.UTF8);
        var first = reader.ReadLine();
        if (first?.TrimEnd('\r') != header)
        {
            throw new FormatException($"{path}:1: expected the header '{header}', found '{first}'.");
        }

        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = SplitCsv(line.TrimEnd('\r'));
            if (fields.Count != count)
            {
                throw new FormatException($"{path}:{number}: {fields.Count} fields, expected {count} ({header}).");
            }

            yield return (number, fields.ToArray(), path);
        }
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
