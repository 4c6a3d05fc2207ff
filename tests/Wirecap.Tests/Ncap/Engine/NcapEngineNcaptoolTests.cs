using Wirecap.Decoding;
using Wirecap.Formats.Ncap;
using Wirecap.Ncap;
using Wirecap.Tests.Infrastructure;
using NUnit.Framework;

namespace Wirecap.Tests.Ncap.Engine;

public class NcapEngineNcaptoolTests
{
    private static List<byte[]> Encoded(IEnumerable<NcapMessage> messages) => messages
        .Where(m => m.Transport != NcapTransport.Icmp) // ncap's ICMP payload over-reads two bytes past the message (documented bug)
        .Select(m =>
        {
            byte[] bytes = [];
            m.WithRecord(0, (int _, NcapRecord r) => { bytes = new byte[r.EncodedLength]; NcapMessageEncoder.Encode(r, bytes); });
            return bytes;
        }).ToList();

    [Test]
    public void TheEngineWritesWhatNcaptoolWritesForTheSameCapture()
    {
        Tool.Require("ncaptool");
        var sample = Repository.SamplePath;
        var theirsPath = Path.Combine(Path.GetTempPath(), $"ncaptool-{Guid.NewGuid():N}.ncap");
        try
        {
            Tool.RunOk("ncaptool", $"-p {sample} -o {theirsPath}");
            var theirs = new List<NcapMessage>();
            using (var reader = NcapReader.Open(theirsPath))
                while (reader.Read()) theirs.Add(reader.Current.ToMessage());

            var ours = new MemoryStream();
            using (var engine = new NcapEngine(new NcapEngineOptions
            {
                Conversion = NcapConversionOptions.Ncaptool, // what ncap decodes
            }))
            {
                engine.AddCaptureFile(sample);
                NcapEngine.WriteHeader(ours);
                engine.Collect((in NcapRecord m, NcapSource _) => engine.Write(m, ours));
            }
            ours.Position = 0;
            var oursMessages = new List<NcapMessage>();
            using (var reader = new NcapReader(ours))
                while (reader.Read()) oursMessages.Add(reader.Current.ToMessage());

            Assert.That(theirs, Is.Not.Empty);
            Assert.That(Encoded(oursMessages), Is.EqualTo(Encoded(theirs)), "byte for byte, message by message");
        }
        finally
        {
            File.Delete(theirsPath);
        }
    }
}
