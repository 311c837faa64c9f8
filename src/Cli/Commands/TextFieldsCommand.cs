using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vectord.Client;
using Vectord.Contracts;

namespace Vectord.Cli.Commands;

/// <summary>The command line of <c>vectord text-fields</c>.</summary>
internal sealed class TextFieldsSettings : ServiceSettings
{
    /// <summary>The index.</summary>
    [CommandArgument(0, "<NAME>")]
    [Description("The index")]
    public string Name { get; init; } = "";

    /// <summary>The fields, each <c>key</c> or <c>key:language</c>.</summary>
    [CommandArgument(1, "<FIELD>")]
    [Description("A metadata key to search by words, as key or key:language (none or english); several may follow")]
    public string[] Fields { get; init; } = [];

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        if (base.Validate() is { Successful: false } failed)
        {
            return failed;
        }
        try
        {
            _ = ToSpec();
            return ValidationResult.Success();
        }
        catch (InvalidIndexArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
    }

    /// <summary>The fields in the client's terms: the text after the last colon names the language.</summary>
    /// <exception cref="InvalidIndexArgumentException">An unknown language.</exception>
    public IndexTextField[] ToSpec() => [.. Fields.Select((field, i) =>
    {
        int colon = field.LastIndexOf(':');
        return colon < 0
            ? new IndexTextField(field)
            : new IndexTextField(field[..colon], TextFieldNames.Parse(field[(colon + 1)..], $"FIELD {field}"));
    })];
}

/// <summary><c>vectord text-fields NAME FIELD...</c>: makes more metadata fields of an index searchable by words, then
/// shows every text field it has.</summary>
internal sealed class TextFieldsCommand(CliContext context) : ServiceCommand<TextFieldsSettings>(context)
{
    /// <inheritdoc />
    protected override async Task<int> RunAsync(VectordClient client, TextFieldsSettings settings, CancellationToken cancellationToken)
    {
        var index = await client.AddTextFieldsAsync(settings.Name, settings.ToSpec(), cancellationToken).ConfigureAwait(false);
        var table = new Table().AddColumns("text field", "language");
        foreach (var field in index.TextFields ?? [])
        {
            table.AddRow(Markup.Escape(field.Path), TextFieldNames.Format(field.Language));
        }
        Console.Write(table);
        return ExitCodes.Success;
    }
}
