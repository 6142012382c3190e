namespace Cki.Compute.Config;

/// <summary>A config file is wrong: the message names the file, the line and column, the field and what was expected.</summary>
public sealed class ConfigException(string message, Exception? inner = null) : Exception(message, inner);
