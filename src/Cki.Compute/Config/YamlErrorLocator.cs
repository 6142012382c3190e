using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace Cki.Compute.Config;

/// <summary>
/// Says where YAML text goes wrong when the parser fails without a position (YamlDotNet throws a bare
/// <see cref="InvalidOperationException"/> on some unclosed flow collections): the innermost <c>[</c> or
/// <c>{</c> left open, else the scanner's own error, else the last token read.
/// </summary>
internal static class YamlErrorLocator
{
    /// <summary>The 1-based line and column of the problem, and what it is.</summary>
    public static (long Line, long Column, string Problem) Locate(string text)
    {
        var open = new Stack<Token>();
        var last = (Line: 1L, Column: 1L);
        var scanner = new Scanner(new StringReader(text));
        try
        {
            while (scanner.MoveNext())
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
            return (e.Start.Line, e.Start.Column, e.Message);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // An open bracket, if any, is the likelier cause; otherwise the last token read is the best place known.
        }

        if (open.TryPeek(out var bracket))
        {
            return (bracket.Start.Line, bracket.Start.Column, $"this '{(bracket is FlowSequenceStart ? '[' : '{')}' is never closed");
        }

        return (last.Line, last.Column, "the structure breaks off after this point");
    }
}
