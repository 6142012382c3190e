using System.Text;
using Cki.Contracts.Jobs;

namespace Cki.Contracts.Tests.Jobs;

/// <summary>The job worker's line protocol: messages round-trip, a bad one is an error naming what is wrong, lines are bounded.</summary>
public class WorkerProtocolTests
{
    [Fact]
    public void Line_RunMessage_OneCompactLineThatParsesBack()
    {
        var run = new WorkerMessage { Type = WorkerMessage.Run, Job = "r1/profile-a#1", Spec = "http://127.0.0.1:10000/devstoreaccount1/runs/r1/jobs/profile-a/spec.json" };

        var line = WorkerProtocol.Line(run);

        Assert.Equal((byte)'\n', line[^1]);
        Assert.Equal(1, line.Count(b => b == (byte)'\n'));
        Assert.Equal("{\"type\":\"run\",\"job\":\"r1/profile-a#1\",\"spec\":\"http://127.0.0.1:10000/devstoreaccount1/runs/r1/jobs/profile-a/spec.json\"}\n",
            Encoding.UTF8.GetString(line));
        Assert.Equal(run, WorkerProtocol.Parse(line.AsSpan(0, line.Length - 1)));
    }

    [Theory]
    [InlineData("{\"type\":\"run\",\"job\":\"j\"}", "'spec'")]
    [InlineData("{\"type\":\"run\",\"spec\":\"s.json\"}", "'job'")]
    [InlineData("{\"type\":\"ended\",\"job\":\"j\"}", "'exit_code'")]
    [InlineData("{\"type\":\"log\",\"job\":\"j\"}", "'text'")]
    [InlineData("{\"type\":\"launch\",\"job\":\"j\"}", "'launch' is not one of")]
    [InlineData("{\"type\":\"cancel\",\"job\":\"j\",\"force\":true}", "force")]
    [InlineData("{\"job\":\"j\"}", "type")]
    [InlineData("run j s.json", "not a message object")]
    [InlineData("null", "null is not a message")]
    public void Parse_BadMessage_ErrorSaysWhatIsWrong(string line, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => WorkerProtocol.Parse(Encoding.UTF8.GetBytes(line)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("worker message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogLine_LongerThanTheLimit_CutAndStillOneLineUnderTheBound()
    {
        // Control characters are escaped as six bytes each: the worst case for the line's length.
        var text = new string('\u0001', WorkerProtocol.MaxLogChars + 100);

        var message = WorkerProtocol.LogLine("j", text);
        var line = WorkerProtocol.Line(message);

        Assert.Equal(new string('\u0001', WorkerProtocol.MaxLogChars) + " [cut]", message.Text);
        Assert.InRange(line.Length - 1, 6 * WorkerProtocol.MaxLogChars, WorkerProtocol.MaxLineBytes);
    }

    [Fact]
    public void Line_SpecOverTheBound_ErrorNamingTheJob()
    {
        var run = new WorkerMessage { Type = WorkerMessage.Run, Job = "r1/huge#1", Spec = new string('s', WorkerProtocol.MaxLineBytes) };

        var error = Assert.Throws<InvalidDataException>(() => WorkerProtocol.Line(run));

        Assert.Contains("r1/huge#1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLine_LineOverTheBound_SkippedAsTooLong_NextLineRead()
    {
        // 10 + LF, 25 + LF (over a bound of 16, and over the reader's 17-byte buffer), exactly 16 + LF, a last line without LF.
        var text = new string('a', 10) + "\n" + new string('b', 25) + "\n" + new string('c', 16) + "\n" + "tail";
        var reader = new BoundedLineReader(new MemoryStream(Encoding.ASCII.GetBytes(text)), maxLineBytes: 16);

        var lines = new List<BoundedLine>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line);
        }

        Assert.Equal(4, lines.Count);
        Assert.Equal((new string('a', 10), 10L, false), (Encoding.ASCII.GetString(lines[0].Bytes), lines[0].Length, lines[0].TooLong));
        Assert.Equal((0, 25L, true), (lines[1].Bytes.Length, lines[1].Length, lines[1].TooLong));
        Assert.Equal((new string('c', 16), 16L, false), (Encoding.ASCII.GetString(lines[2].Bytes), lines[2].Length, lines[2].TooLong));
        Assert.Equal("tail", Encoding.ASCII.GetString(lines[3].Bytes));
    }

    [Fact]
    public async Task ReadLine_EmptyStream_Null()
    {
        var reader = new BoundedLineReader(new MemoryStream(), maxLineBytes: 16);

        Assert.Null(await reader.ReadLineAsync(CancellationToken.None));
    }
}
