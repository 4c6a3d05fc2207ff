using System.Globalization;
using System.Text.Json;
using Wirecap.Formats;
using Wirecap.Tests.Infrastructure;

namespace Wirecap.Tests.Formats;

/// <summary>
/// One frame as a reader reports it, in a form both tshark's output and ours reduce to:
/// epoch time with nine decimals, lengths, interface, bytes as hex, comments.
/// </summary>
public sealed record PeerFrame(string Epoch, int Length, int CapturedLength, int InterfaceId, string Hex, string Comments)
{
    public static string EpochOf(long nanoseconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000_000}.{nanoseconds % 1_000_000_000:D9}");

    public static PeerFrame From(in PacketRecord record) => new(EpochOf(record.TimestampNanoseconds), record.OriginalLength,
        record.Data.Length, record.InterfaceId, Convert.ToHexStringLower(record.Data), string.Join("|", record.Comments.ToList()));

    /// <summary>Every frame of a file as our reader sees it.</summary>
    public static List<PeerFrame> ReadWithUs(string path)
    {
        using var reader = CaptureReader.Open(path);
        var frames = new List<PeerFrame>();
        while (reader.Read()) frames.Add(From(reader.Current));
        return frames;
    }

    /// <summary>Every frame of a file as tshark sees it (tshark -T json -x).</summary>
    public static List<PeerFrame> ReadWithTshark(string path)
    {
        Tool.Require("tshark");
        var json = Tool.RunOk("tshark", $"-r \"{path}\" -n -T json -x -j \"frame pkt_comment\"");
        using var document = JsonDocument.Parse(json);
        var frames = new List<PeerFrame>();
        foreach (var packet in document.RootElement.EnumerateArray())
        {
            var layers = packet.GetProperty("_source").GetProperty("layers");
            string hex = "", epoch = "";
            int length = 0, captured = 0, interfaceId = 0;
            var comments = new List<string>();
            foreach (var layer in layers.EnumerateObject())
            {
                if (layer.NameEquals("frame_raw")) hex = layer.Value[0].GetString() ?? "";
                else if (layer.NameEquals("frame"))
                {
                    foreach (var field in layer.Value.EnumerateObject())
                    {
                        switch (field.Name)
                        {
                            case "frame.time_epoch": epoch = field.Value.GetString()!; break;
                            case "frame.len": length = int.Parse(field.Value.GetString()!, CultureInfo.InvariantCulture); break;
                            case "frame.cap_len": captured = int.Parse(field.Value.GetString()!, CultureInfo.InvariantCulture); break;
                            case "frame.interface_id": interfaceId = int.Parse(field.Value.GetString()!, CultureInfo.InvariantCulture); break;
                        }
                    }
                }
                else if (layer.NameEquals("pkt_comment"))
                {
                    foreach (var field in layer.Value.EnumerateObject())
                        if (field.NameEquals("frame.comment")) comments.Add(field.Value.GetString()!);
                }
            }
            frames.Add(new PeerFrame(epoch, length, captured, interfaceId, hex, string.Join("|", comments)));
        }
        return frames;
    }
}
