using System.Text;
using Wirecap.Decoding;
using NUnit.Framework;

namespace Wirecap.Tests.Decoding;

public class DnsDecodingTests
{
    [Test]
    public void HeaderFieldsAreReadInPlace()
    {
        var message = new DnsMessageBuilder(0xbeef, 0x8583, 1, 0).Question("example.com", 28).ToArray();
        Assert.That(DnsHeader.TryRead(message, out var h), Is.True);
        Assert.That((h.Id, h.IsResponse, h.Opcode, h.Rcode, h.QuestionCount), Is.EqualTo((0xbeef, true, 0, 3, (ushort)1)));
        Assert.That(DnsHeader.TryRead(message.AsSpan(0, 11), out _), Is.False);
    }

    [Test]
    public void CompressedNamesAreFollowedAndLoopsRejected()
    {
        var b = new DnsMessageBuilder(1, 0, 1, 0);
        int first = b.Position;
        b.Question("Www.Example.COM", 1);
        int pointerAt = b.Position;
        b.Raw(3, (byte)'f', (byte)'o', (byte)'o').Pointer(first + 4); // foo.example.com via a pointer to "example"
        var message = b.ToArray();
        var text = new StringBuilder();
        Assert.That(DnsName.Append(message, pointerAt, text), Is.EqualTo(message.Length));
        Assert.That(text.ToString(), Is.EqualTo("foo.Example.COM."));
        Assert.That(DnsName.EqualsIgnoreCase(message, first, "www.example.com"), Is.True);
        Assert.That(DnsName.EqualsIgnoreCase(message, first, "www.example.com."), Is.True);
        Assert.That(DnsName.EqualsIgnoreCase(message, first, "example.com"), Is.False);

        byte[] loop = [.. message[..12], 0xc0, 12];
        Assert.That(DnsName.Skip(loop, 12), Is.EqualTo(-1));
        byte[] truncated = [.. message[..12], 5, (byte)'a'];
        Assert.That(DnsName.Skip(truncated, 12), Is.EqualTo(-1));
        byte[] reservedLabel = [.. message[..12], 0x40, 0];
        Assert.That(DnsName.Skip(reservedLabel, 12), Is.EqualTo(-1));
    }

    [Test]
    public void OddBytesAreEscapedInPresentationForm()
    {
        byte[] message = [.. new DnsMessageBuilder(1, 0, 1, 0).ToArray(), 3, (byte)'a', (byte)'.', 0x07, 0];
        var text = new StringBuilder();
        DnsName.Append(message, 12, text);
        Assert.That(text.ToString(), Is.EqualTo(@"a\.\007."));
    }

    [Test]
    public void ResponseRendersLikeDig()
    {
        var message = new DnsMessageBuilder(4660, 0x8180, 1, 5, 1, 0)
            .Question("example.com", 1)
            .Record("example.com", 1, 300, [93, 184, 216, 34])
            .Record("example.com", 5, 60, DnsMessageBuilder.EncodeName("alias.example.net"))
            .Record("example.com", 15, 60, [0, 10, .. DnsMessageBuilder.EncodeName("mx.example.com")])
            .Record("example.com", 16, 60, [5, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'])
            .Record("example.com", 99_9, 60, [1, 2])
            .Record("example.com", 6, 60, [.. DnsMessageBuilder.EncodeName("ns.example.com"), .. DnsMessageBuilder.EncodeName("admin.example.com"),
                0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5])
            .ToArray();
        var text = new StringBuilder();
        Assert.That(DnsPresentation.TryFormat(message, text), Is.True);
        Assert.That(text.ToString(), Is.EqualTo(
            ";; opcode: QUERY, status: NOERROR, id: 4660\n" +
            ";; flags: qr rd ra; QUERY: 1, ANSWER: 5, AUTHORITY: 1, ADDITIONAL: 0\n" +
            ";; QUESTION SECTION:\nexample.com. IN A\n" +
            ";; ANSWER SECTION:\n" +
            "example.com. 300 IN A 93.184.216.34\n" +
            "example.com. 60 IN CNAME alias.example.net.\n" +
            "example.com. 60 IN MX 10 mx.example.com.\n" +
            "example.com. 60 IN TXT \"hello\"\n" +
            "example.com. 60 IN TYPE999 \\# 2 0102\n" +
            ";; AUTHORITY SECTION:\n" +
            "example.com. 60 IN SOA ns.example.com. admin.example.com. 1 2 3 4 5\n"));
    }

    [Test]
    public void MalformedMessagesRenderAsFarAsTheyParse()
    {
        var message = new DnsMessageBuilder(1, 0x8180, 1, 1).Question("example.com", 1).Raw(0xc0).ToArray();
        var text = new StringBuilder();
        Assert.That(DnsPresentation.TryFormat(message, text), Is.True);
        Assert.That(text.ToString(), Does.EndWith(";; malformed\n"));
        Assert.That(DnsPresentation.TryFormat(new byte[5], text), Is.False);
    }
}
