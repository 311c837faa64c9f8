// Every test class of this assembly may take the one shared node in its constructor.
[assembly: AssemblyFixture(typeof(Vectord.Testing.NodeFixture))]
