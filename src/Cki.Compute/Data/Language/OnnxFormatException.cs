namespace Cki.Compute.Data.Language;

/// <summary>An ONNX file (or the package that embeds it) is not what the encoders' fetcher can read; the message names the file and part.</summary>
/// <param name="message">What is wrong, naming the file and the initializer or node.</param>
/// <param name="inner">The underlying error, if any.</param>
public sealed class OnnxFormatException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
