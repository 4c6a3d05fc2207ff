using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wirecap.Sinks;

/// <summary>
/// Mutual TLS for the pcapng stream between <see cref="TcpCaptureExporter"/> and <see cref="TcpCaptureCollector"/>:
/// each end presents <see cref="Certificate"/> and accepts the other only when its certificate chains to one of
/// <see cref="TrustedAuthorities"/>, the system's roots left out (a private CA says who may send, not the public web).
/// The collector requires a client certificate; the exporter also checks that the collector's certificate names the
/// host it connected to. Certificates with an extended key usage must allow client (or server) authentication.
/// </summary>
public sealed class CaptureTls
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private readonly SslStreamCertificateContext _context;

    /// <summary>Presents <paramref name="certificate"/> (with its private key; <paramref name="intermediates"/> are sent
    /// along) and trusts only peers whose chain ends at one of <paramref name="trustedAuthorities"/>.</summary>
    /// <exception cref="ArgumentException">The certificate has no private key, or no authority is given.</exception>
    public CaptureTls(X509Certificate2 certificate, X509Certificate2Collection trustedAuthorities, X509Certificate2Collection? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustedAuthorities);
        if (!certificate.HasPrivateKey) throw new ArgumentException($"the certificate {certificate.Subject} has no private key", nameof(certificate));
        if (trustedAuthorities.Count == 0) throw new ArgumentException("no trusted certificate authority", nameof(trustedAuthorities));
        Certificate = certificate;
        TrustedAuthorities = trustedAuthorities;
        _context = SslStreamCertificateContext.Create(certificate, intermediates ?? [], offline: true);
    }

    /// <summary>What this end presents.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The only roots a peer's certificate may chain to.</summary>
    public X509Certificate2Collection TrustedAuthorities { get; }

    /// <summary>Loads PEM files: the certificate (and any intermediates after it), its private key (PKCS#8, PKCS#1 or
    /// SEC1, unencrypted) and the authorities to trust.</summary>
    /// <exception cref="CryptographicException">A file holds no certificate or key, or the key is not the certificate's;
    /// the message names the file.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static CaptureTls FromPemFiles(string certificateFile, string keyFile, string trustedAuthoritiesFile)
    {
        ArgumentNullException.ThrowIfNull(certificateFile);
        ArgumentNullException.ThrowIfNull(keyFile);
        ArgumentNullException.ThrowIfNull(trustedAuthoritiesFile);
        var chain = Load(certificateFile);
        var authorities = Load(trustedAuthoritiesFile);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException($"{keyFile}: not the private key of the certificate in {certificateFile} ({e.Message})", e);
        }
        var intermediates = new X509Certificate2Collection();
        for (int i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
        return new CaptureTls(certificate, authorities, intermediates);
    }

    private static X509Certificate2Collection Load(string file)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(file);
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException($"{file}: not a PEM certificate ({e.Message})", e);
        }
        return certificates.Count > 0 ? certificates : throw new CryptographicException($"{file}: no PEM certificate in it");
    }

    /// <summary>The collector's side of the handshake over <paramref name="transport"/>: a client without a certificate
    /// this CA vouches for, or one that speaks no TLS, ends in an <see cref="AuthenticationException"/> saying why.</summary>
    internal Task<SslStream> AcceptAsync(Stream transport, CancellationToken cancellationToken)
    {
        var check = new PeerCheck("client");
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _context,
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = Policy(ClientAuthentication),
            RemoteCertificateValidationCallback = check.Validate,
        };
        // The connection stays open on a failure: the collector resets it, so the sender cannot take the refusal for a
        // clean end of its stream.
        return HandshakeAsync(transport, leaveOpen: true, ssl => ssl.AuthenticateAsServerAsync(options, cancellationToken), check, e => $"no TLS handshake ({e.Message})");
    }

    /// <summary>The exporter's side: the collector must present a certificate for <paramref name="host"/> from this CA.</summary>
    internal Task<SslStream> ConnectAsync(Stream transport, string host, CancellationToken cancellationToken)
    {
        var check = new PeerCheck("collector");
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ClientCertificateContext = _context,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = Policy(ServerAuthentication),
            RemoteCertificateValidationCallback = check.Validate,
        };
        return HandshakeAsync(transport, leaveOpen: false, ssl => ssl.AuthenticateAsClientAsync(options, cancellationToken), check, e => $"TLS handshake with {host} failed ({e.Message})");
    }

    /// <summary>Runs one side's handshake; a failure says the peer check's reason when there is one. A cancellation is
    /// left as it is (the caller's timeout or stop).</summary>
    private static async Task<SslStream> HandshakeAsync(Stream transport, bool leaveOpen, Func<SslStream, Task> authenticate, PeerCheck check, Func<Exception, string> otherwise)
    {
        var ssl = new SslStream(transport, leaveOpen);
        try
        {
            await authenticate(ssl).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && check.Refusal is null) throw;
            throw new AuthenticationException(check.Refusal ?? otherwise(e), e);
        }
    }

    /// <summary>A fresh policy per handshake (SslStream may keep and change the one it is given).</summary>
    private X509ChainPolicy Policy(Oid usage)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(TrustedAuthorities);
        policy.ApplicationPolicy.Add(usage);
        return policy;
    }

    /// <summary>Judges the peer's certificate from the errors of the chain built under <see cref="Policy"/> and
    /// remembers why it refused, for the exception the handshake ends in.</summary>
    private sealed class PeerCheck(string peer)
    {
        public string? Refusal { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None) return true;
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                Refusal = $"the {peer} presented no certificate";
            else if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
            {
                var status = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct() ?? [];
                Refusal = $"the {peer}'s certificate {certificate.Subject} is not vouched for by the trusted CA ({string.Join(", ", status)})";
            }
            else
                Refusal = $"the {peer}'s certificate {certificate.Subject} does not name the host connected to";
            return false;
        }
    }
}
