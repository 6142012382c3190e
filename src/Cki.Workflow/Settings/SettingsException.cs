namespace Cki.Workflow.Settings;

/// <summary>A setting is missing, out of range or malformed; the message names it as <c>Cki:Name</c> and says what it expects.</summary>
public sealed class SettingsException : Exception
{
    /// <summary>Creates the error.</summary>
    public SettingsException(string message) : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public SettingsException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates an error with no message (serializers).</summary>
    public SettingsException() : base("A setting is wrong.")
    {
    }
}
