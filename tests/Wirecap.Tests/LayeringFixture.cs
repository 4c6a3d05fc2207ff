// Two types in two namespaces for LayeringTests: the upper one uses the lower one only through a fully
// qualified name inside a method body.
namespace Wirecap.Tests.LayeringFixture.Lower
{
    internal static class Target
    {
        public static int Value(int x) => x + 1;
    }
}

namespace Wirecap.Tests.LayeringFixture.Upper
{
    internal static class User
    {
        public static int Use(int x) => global::Wirecap.Tests.LayeringFixture.Lower.Target.Value(x) * 2;
    }
}
