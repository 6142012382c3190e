using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace Cki.Contracts.Manifests;

/// <summary>
/// Says where YAML text goes wrong when the parser fails without a position (YamlDotNet throws a bare
/// <see cref="InvalidOperationException"/> on some unclosed flow collections): the innermost <c>[</c> or
/// <c>{</c> left open, else the scanner's own error, else the last token read.
/// </summary>
internal static class YamlErrorLocator
{
    /// <summary>The 1-based line and column of the problem, what it is, and whether it is a bracket left open.</summary>
    public static (long Line, long Column, string Problem, bool Unclosed) Locate(string text)
    {
        var open = new Stack<Token>();
        var last = (Line: 1L, Column: 1L);
        var scanner = new Scanner(new StringReader(text));
        try
        {
            // The scanner can yield tokens without end after some errors (e.g. "a: b: c"): a well-formed text has
            // fewer tokens than twice its characters, so more means it went astray.
            var budget = (2L * text.Length) + 16;
            while (scanner.MoveNext() && --budget > 0)
            {
                var token = scanner.Current!;
                if (token is FlowSequenceStart or FlowMappingStart)
                {
                    open.Push(token);
                }
                else if (token is FlowSequenceEnd or FlowMappingEnd && open.Count > 0)
                {
                    open.Pop();
                }

                last = (token.Start.Line, token.Start.Column);
            }
        }
        catch (YamlException e) when (open.Count == 0)
        {
            return (e.Start.Line, e.Start.Column, e.Message, false);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // An open bracket, if any, is the likelier cause; otherwise the last token read is the best place known.
        }

        if (open.TryPeek(out var bracket))
        {
            return (bracket.Start.Line, bracket.Start.Column, $"this '{(bracket is FlowSequenceStart ? '[' : '{')}' is never closed", true);
        }

        return (last.Line, last.Column, "the structure breaks off after this point", false);
    }
}
