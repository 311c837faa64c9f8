using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Vectord.VectorData.Conformance.Tests.Support;
using VectorData.ConformanceTests;
using VectorData.ConformanceTests.Support;

namespace Vectord.VectorData.Conformance.Tests;

public sealed class HttpEmbeddingGenerationTests(HttpEmbeddingGenerationTests.StringVectorFixture stringVectorFixture, HttpEmbeddingGenerationTests.RomOfFloatVectorFixture romOfFloatVectorFixture)
    : EmbeddingGenerationTests<string>(stringVectorFixture, romOfFloatVectorFixture),
        IClassFixture<HttpEmbeddingGenerationTests.StringVectorFixture>, IClassFixture<HttpEmbeddingGenerationTests.RomOfFloatVectorFixture>
{
    public new sealed class StringVectorFixture : EmbeddingGenerationTests<string>.StringVectorFixture
    {
        public override TestStore TestStore => VectordTestStore.Http;

        public override VectorStore CreateVectorStore(IEmbeddingGenerator? embeddingGenerator = null) =>
            VectordTestStore.Http.NewStore(new() { EmbeddingGenerator = embeddingGenerator });

        public override Func<IServiceCollection, IServiceCollection>[] DependencyInjectionStoreRegistrationDelegates =>
            [services => services.AddStore(VectordTestStore.Http)];

        public override Func<IServiceCollection, IServiceCollection>[] DependencyInjectionCollectionRegistrationDelegates =>
            [services => services.AddCollection<string, RecordWithAttributes>(VectordTestStore.Http, CollectionName)];
    }

    public new sealed class RomOfFloatVectorFixture : EmbeddingGenerationTests<string>.RomOfFloatVectorFixture
    {
        public override TestStore TestStore => VectordTestStore.Http;

        public override VectorStore CreateVectorStore(IEmbeddingGenerator? embeddingGenerator = null) =>
            VectordTestStore.Http.NewStore(new() { EmbeddingGenerator = embeddingGenerator });

        public override Func<IServiceCollection, IServiceCollection>[] DependencyInjectionStoreRegistrationDelegates =>
            [services => services.AddStore(VectordTestStore.Http)];

        public override Func<IServiceCollection, IServiceCollection>[] DependencyInjectionCollectionRegistrationDelegates =>
            [services => services.AddCollection<string, RecordWithAttributes>(VectordTestStore.Http, CollectionName)];
    }
}

public sealed class GrainsEmbeddingGenerationTests(GrainsEmbeddingGenerationTests.StringVectorFixture stringVectorFixture, GrainsEmbeddingGenerationTests.RomOfFloatVectorFixture romOfFloatVectorFixture)
    : EmbeddingGenerationTests<string>(stringVectorFixture, romOfFloatVectorFixture),
        IClassFixture<GrainsEmbeddingGenerationTests.StringVectorFixture>, IClassFixture<GrainsEmbeddingGenerationTests.RomOfFloatVectorFixture>
{
    public new sealed class StringVectorFixture : EmbeddingGenerationTests<string>.StringVectorFixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;

        public override VectorStore CreateVectorStore(IEmbeddingGenerator? embeddingGenerator = null) =>
            VectordTestStore.Grains.NewStore(new() { EmbeddingGenerator = embeddingGenerator });

        public override Func<IServiceCollection, IServiceCollection>[] DependencyInjectionStoreRegistrationDelegates =>
            [services => services.AddStore(VectordTestStore.Grains)];

        public override Func<IServiceCollection, IServiceCollection>[] DependencyInjectionCollectionRegistrationDelegates =>
            [services => services.AddCollection<string, RecordWithAttributes>(VectordTestStore.Grains, CollectionName)];
    }

    public new sealed class RomOfFloatVectorFixture : EmbeddingGenerationTests<string>.RomOfFloatVectorFixture
    {
        public override TestStore TestStore => VectordTestStore.Grains;

        public override VectorStore CreateVectorStore(IEmbeddingGenerator? embeddingGenerator = null) =>
            VectordTestStore.Grains.NewStore(new() { EmbeddingGenerator = embeddingGenerator });

        public override Func<IServiceCollection, IServiceCollection>[] DependencyInjectionStoreRegistrationDelegates =>
            [services => services.AddStore(VectordTestStore.Grains)];

        public override Func<IServiceCollection, IServiceCollection>[] DependencyInjectionCollectionRegistrationDelegates =>
            [services => services.AddCollection<string, RecordWithAttributes>(VectordTestStore.Grains, CollectionName)];
    }
}
