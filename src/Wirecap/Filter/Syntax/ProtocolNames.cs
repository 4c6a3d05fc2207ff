namespace Wirecap.Filter.Syntax;

/// <summary>The protocol qualifiers (libpcap's <c>pname</c>).</summary>
internal static class ProtocolNames
{
    public static bool IsProtocol(Keyword k) => k is Keyword.Link or Keyword.Ip or Keyword.Arp or Keyword.Rarp
        or Keyword.Sctp or Keyword.Tcp or Keyword.Udp or Keyword.Icmp or Keyword.Igmp or Keyword.Igrp or Keyword.Pim
        or Keyword.Vrrp or Keyword.Carp or Keyword.Atalk or Keyword.Aarp or Keyword.Decnet or Keyword.Lat
        or Keyword.Sca or Keyword.MopRc or Keyword.MopDl or Keyword.Ip6 or Keyword.Icmp6 or Keyword.Ah
        or Keyword.Esp or Keyword.Iso or Keyword.Esis or Keyword.Isis or Keyword.L1 or Keyword.L2 or Keyword.Iih
        or Keyword.Lsp or Keyword.Snp or Keyword.Csnp or Keyword.Psnp or Keyword.Clnp or Keyword.Stp
        or Keyword.Ipx or Keyword.NetBeui or Keyword.Radio;
}
