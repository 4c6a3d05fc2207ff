using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using NUnit.Framework;

namespace Wirecap.Tests;

/// <summary>
/// DESIGN.md's layer table as a test: a layer uses only the layers above it. Judged on the compiled Wirecap.dll,
/// not on the source, so a fully qualified name is caught as surely as a <c>using</c>: every type a type's
/// signatures, base types, attributes and method bodies (calls, field accesses, tokens, locals) refer to is
/// mapped to its namespace's layer.
/// </summary>
public class LayeringTests
{
    // Top to bottom; a layer may use its own row and the rows above it.
    private static readonly string[][] Table =
    [
        ["Wirecap"],
        ["Bpf"],
        ["Filter"],
        ["Formats"],
        ["Decoding"],
        ["Ebpf"],
        ["Linux"],
        ["Ncap"],
        ["Sinks", "Injection"],
    ];

    [Test]
    public void NoLayerUsesOneBelowIt()
    {
        var uses = LayerUses(typeof(Wirecap.LinkType).Assembly.Location);
        var violations = uses
            .Where(u => Rank(u.Key.User) < Rank(u.Key.Used))
            .Select(u => $"{u.Key.User} uses {u.Key.Used}: {string.Join(", ", u.Value.Order(StringComparer.Ordinal).Take(5))}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.That(violations, Is.Empty);
        Assert.That(uses.Keys, Does.Contain(("Ncap", "Decoding")), "the scan sees references between layers at all");
    }

    /// <summary>The scan sees a use reached only through a fully qualified name inside a method body (the fixture
    /// below lives in this test assembly, where both its types are defined).</summary>
    [Test]
    public void AFullyQualifiedUseInAMethodBodyIsSeen()
    {
        var uses = TypeUses(typeof(LayeringTests).Assembly.Location);
        Assert.That(uses[typeof(LayeringFixture.Upper.User).FullName!], Does.Contain(typeof(LayeringFixture.Lower.Target).FullName));
        Assert.That(uses[typeof(LayeringFixture.Lower.Target).FullName!], Does.Not.Contain(typeof(LayeringFixture.Upper.User).FullName));
    }

    private static int Rank(string layer)
    {
        for (int i = 0; i < Table.Length; i++)
            if (Table[i].Contains(layer)) return i;
        throw new AssertionException($"namespace layer '{layer}' is not in DESIGN.md's table: add it there and here");
    }

    // Null for code generated outside the project's namespaces (the Regex generator's), which belongs to no layer.
    private static string? LayerOf(string ns)
    {
        if (ns == "Wirecap") return "Wirecap";
        return ns.StartsWith("Wirecap.", StringComparison.Ordinal) ? ns.Split('.')[1] : null;
    }

    /// <summary>(user layer, used layer) → the types of the used layer referred to.</summary>
    private static Dictionary<(string User, string Used), HashSet<string>> LayerUses(string assembly)
    {
        var result = new Dictionary<(string, string), HashSet<string>>();
        foreach (var (user, used) in TypeUses(assembly))
        {
            int dot = user.LastIndexOf('.');
            if (dot < 0 || LayerOf(user[..dot]) is not { } userLayer) continue; // <Module>, <PrivateImplementationDetails>, generated code
            foreach (var type in used)
            {
                int typeDot = type.LastIndexOf('.');
                if (typeDot < 0 || LayerOf(type[..typeDot]) is not { } usedLayer) continue;
                var key = (userLayer, usedLayer);
                if (!result.TryGetValue(key, out var set)) result[key] = set = [];
                set.Add(type);
            }
        }
        return result;
    }

    /// <summary>Every type defined in <paramref name="assembly"/> (nested types count as their outermost type) →
    /// the types defined in the same assembly that it refers to.</summary>
    private static Dictionary<string, HashSet<string>> TypeUses(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var md = pe.GetMetadataReader();
        var scan = new Scan(md, pe);
        var result = new Dictionary<string, HashSet<string>>();
        foreach (var handle in md.TypeDefinitions)
        {
            string owner = scan.Name(scan.Outermost(handle));
            if (!result.TryGetValue(owner, out var set)) result[owner] = set = [];
            foreach (var used in scan.Uses(handle)) set.Add(scan.Name(scan.Outermost(used)));
        }
        return result;
    }

    /// <summary>Walks one assembly's metadata and IL.</summary>
    private sealed class Scan(MetadataReader md, PEReader pe) : ISignatureTypeProvider<ImmutableArray<TypeDefinitionHandle>, object?>
    {
        private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes).GetFields()
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => (ushort)o.Value, o => o.OperandType);

        public TypeDefinitionHandle Outermost(TypeDefinitionHandle handle)
        {
            while (md.GetTypeDefinition(handle).GetDeclaringType() is { IsNil: false } declaring) handle = declaring;
            return handle;
        }

        public string Name(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            string ns = md.GetString(type.Namespace), name = md.GetString(type.Name);
            return ns.Length == 0 ? name : $"{ns}.{name}";
        }

        public IEnumerable<TypeDefinitionHandle> Uses(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            var found = new List<TypeDefinitionHandle>();
            if (!type.BaseType.IsNil) found.AddRange(Resolve(type.BaseType));
            foreach (var i in type.GetInterfaceImplementations()) found.AddRange(Resolve(md.GetInterfaceImplementation(i).Interface));
            found.AddRange(Attributes(type.GetCustomAttributes()));
            found.AddRange(Constraints(type.GetGenericParameters()));
            foreach (var f in type.GetFields())
            {
                var field = md.GetFieldDefinition(f);
                found.AddRange(field.DecodeSignature(this, null));
                found.AddRange(Attributes(field.GetCustomAttributes()));
            }
            foreach (var p in type.GetProperties()) found.AddRange(Signature(md.GetPropertyDefinition(p).DecodeSignature(this, null)));
            foreach (var e in type.GetEvents()) found.AddRange(Resolve(md.GetEventDefinition(e).Type));
            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                found.AddRange(Signature(method.DecodeSignature(this, null)));
                found.AddRange(Attributes(method.GetCustomAttributes()));
                found.AddRange(Constraints(method.GetGenericParameters()));
                if (method.RelativeVirtualAddress != 0) found.AddRange(Body(pe.GetMethodBody(method.RelativeVirtualAddress)));
            }
            return found;
        }

        private IEnumerable<TypeDefinitionHandle> Body(MethodBodyBlock body)
        {
            if (!body.LocalSignature.IsNil)
                foreach (var local in md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null))
                    foreach (var t in local) yield return t;
            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                ushort code = il.ReadByte();
                if (code == 0xFE) code = (ushort)(0xFE00 | il.ReadByte());
                switch (Operands[code])
                {
                    case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok or OperandType.InlineSig:
                        foreach (var t in Resolve(MetadataTokens.EntityHandle(il.ReadInt32()))) yield return t;
                        break;
                    case OperandType.InlineSwitch:
                        int count = il.ReadInt32();
                        il.Offset += 4 * count;
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    default: // InlineBrTarget, InlineI, InlineString, ShortInlineR
                        il.Offset += 4;
                        break;
                }
            }
        }

        private IEnumerable<TypeDefinitionHandle> Resolve(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return [(TypeDefinitionHandle)handle];
                case HandleKind.TypeSpecification:
                    return md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                case HandleKind.MethodDefinition:
                    var method = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                    return Signature(method.DecodeSignature(this, null)).Append(method.GetDeclaringType());
                case HandleKind.FieldDefinition:
                    var field = md.GetFieldDefinition((FieldDefinitionHandle)handle);
                    return field.DecodeSignature(this, null).Append(field.GetDeclaringType());
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)handle);
                    var parent = member.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeSpecification or HandleKind.MethodDefinition
                        ? Resolve(member.Parent) : [];
                    return member.GetKind() == MemberReferenceKind.Method
                        ? parent.Concat(Signature(member.DecodeMethodSignature(this, null)))
                        : parent.Concat(member.DecodeFieldSignature(this, null));
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return Resolve(spec.Method).Concat(spec.DecodeSignature(this, null).SelectMany(t => t));
                case HandleKind.StandaloneSignature:
                    var signature = md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    return signature.GetKind() == StandaloneSignatureKind.Method ? Signature(signature.DecodeMethodSignature(this, null)) : [];
                default:
                    return []; // references to other assemblies
            }
        }

        private IEnumerable<TypeDefinitionHandle> Attributes(CustomAttributeHandleCollection attributes) =>
            attributes.SelectMany(a => Resolve(md.GetCustomAttribute(a).Constructor));

        private IEnumerable<TypeDefinitionHandle> Constraints(GenericParameterHandleCollection parameters) =>
            parameters.SelectMany(p => md.GetGenericParameter(p).GetConstraints())
                .SelectMany(c => Resolve(md.GetGenericParameterConstraint(c).Type));

        private static IEnumerable<TypeDefinitionHandle> Signature(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
            signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(p => p));

        // ISignatureTypeProvider: a type is the list of this assembly's type definitions it mentions.
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [];
        public ImmutableArray<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public ImmutableArray<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public ImmutableArray<TypeDefinitionHandle> GetSZArrayType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetArrayType(ImmutableArray<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetByReferenceType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPointerType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetPinnedType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;
        public ImmutableArray<TypeDefinitionHandle> GetGenericInstantiation(ImmutableArray<TypeDefinitionHandle> genericType, ImmutableArray<ImmutableArray<TypeDefinitionHandle>> typeArguments) =>
            genericType.AddRange(typeArguments.SelectMany(t => t));
        public ImmutableArray<TypeDefinitionHandle> GetGenericTypeParameter(object? context, int index) => [];
        public ImmutableArray<TypeDefinitionHandle> GetGenericMethodParameter(object? context, int index) => [];
        public ImmutableArray<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) => [.. Signature(signature)];
        public ImmutableArray<TypeDefinitionHandle> GetModifiedType(ImmutableArray<TypeDefinitionHandle> modifier, ImmutableArray<TypeDefinitionHandle> unmodifiedType, bool isRequired) =>
            unmodifiedType.AddRange(modifier);
    }
}
