"""ISO 4217 currency codes and their minor units (decimal places of the smallest coin paid).

The table lists the active codes of ISO 4217 (list one) that carry a minor unit; funds and
precious-metal codes without one (XAU, XDR, ...) are left out because no one is paid in them.
"""

from __future__ import annotations

# minor unit 0: whole units only
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
# minor unit 3
_THREE = "BHD IQD JOD KWD LYD OMR TND"
# minor unit 4
_FOUR = "CLF UYW"
# minor unit 2: every other active code
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL "
    "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK "
    "PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS "
    "TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG"
)

MINOR_UNITS: dict[str, int] = {
    **{c: 2 for c in _TWO.split()}, **{c: 0 for c in _ZERO.split()},
    **{c: 3 for c in _THREE.split()}, **{c: 4 for c in _FOUR.split()},
}


def minor_unit(code: str) -> int:
    """Decimal places paid in ``code`` (ISO 4217); 2 for a code not in the table."""
    return MINOR_UNITS.get(code.upper(), 2)
