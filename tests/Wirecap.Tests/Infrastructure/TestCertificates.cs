using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wirecap.Sinks;

namespace Wirecap.Tests.Infrastructure;

/// <summary>A throwaway certificate authority made in the test (never a checked-in key): it issues collector and sender
/// certificates for 127.0.0.1 and localhost, and writes them as PEM files for the command line.</summary>
public sealed class TestCertificates
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private readonly X509Certificate2 _issuer;

    public TestCertificates(string name)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name} test CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _issuer = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2)); // outlives what it issues
        Authority = X509CertificateLoader.LoadCertificate(_issuer.RawData);
    }

    /// <summary>The CA's certificate (no key): what the other end trusts.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>A certificate for 127.0.0.1 and localhost, signed by this CA, with its private key.</summary>
    public X509Certificate2 Issue(string name, bool server)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256); // owned by the certificate made from it
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([server ? ServerAuth : ClientAuth], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        using var issued = request.Create(_issuer, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>One end's TLS: a certificate of this CA, trusting <paramref name="trusted"/> (this CA when null).</summary>
    public CaptureTls Tls(string name, bool server, TestCertificates? trusted = null) =>
        new(Issue(name, server), [(trusted ?? this).Authority]);

    /// <summary>Writes a certificate of this CA and its key as PEM files; returns the --tls-* arguments (the CA file is
    /// <paramref name="trusted"/>'s, this CA's when null).</summary>
    public string[] WritePem(string directory, string name, bool server, TestCertificates? trusted = null)
    {
        using var certificate = Issue(name, server);
        string cert = Path.Combine(directory, $"{name}.crt"), key = Path.Combine(directory, $"{name}.key"), ca = Path.Combine(directory, $"{name}-ca.crt");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(ca, (trusted ?? this).Authority.ExportCertificatePem());
        return ["--tls-cert", cert, "--tls-key", key, "--tls-ca", ca];
    }
}
