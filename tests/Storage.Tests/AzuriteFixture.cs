using Vectord.Testing;

namespace Vectord.Storage.Tests;

/// <summary>One real Azurite for the tests of the storage library, stopped by its process id when they end.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The Azurite server.</summary>
    public AzuriteServer Azurite { get; private set; } = null!;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync() => Azurite = await AzuriteServer.StartAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await Azurite.DisposeAsync();
}

/// <summary>The collection sharing one <see cref="AzuriteFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteStorage : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Azurite storage";
}
