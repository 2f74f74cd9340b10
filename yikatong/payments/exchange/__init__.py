"""The agent-bank file exchange of specs/bank-exchange.md (version YKT1).

Pure, database-free format modules:
    mac            HMAC-SM3 / HMAC-SHA256, constant-time verify
    codes          reason codes E01–E99, rejection codes F01–F05, ID types
    fields, lines  field rules and line patterns shared by every file
    framing        encoding, CRLF lines, the MAC-bearing T line
    filenames      YKT1_<bank>_<batch>_<P|R|X>.txt
    paymentfile    write_payment_file / parse_payment_file / peek_payment_header
    resultfile     write_result_file, and the public entry point of R and X files:
                   resultlines (records, rules), resultreader (parse_result_file),
                   rejectionfile (write/parse_rejection_file)
    errors         PaymentDataError (refused data), PaymentFileError / ResultFileError (F-codes)
With Django settings and core only (never the payments models, which import this package):
    connector      BankConnector, OutboxConnector (settings.YKT_BANK_OUTBOX / YKT_BANK_INBOX)
    storage        at-rest sealing of bank files and agreement texts
The writes and reads of banks, agreements and bank files are payments.banks and payments.selectors.
"""
