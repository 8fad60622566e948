const invoices = [
  { id: "1", number: "INV-00001", customer: "Acme Corp", status: "paid", total: 1200 },
  { id: "2", number: "INV-00002", customer: "Globex", status: "pending", total: 860 },
  { id: "3", number: "INV-00003", customer: "Initech", status: "draft", total: 2450 },
];

export default function Invoices() {
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Invoices</h1>
      <table className="w-full text-sm">
        <tbody>
          {invoices.map((invoice) => (
            <tr key={invoice.id} className="border-b">
              <td className="py-2">{invoice.number}</td>
              <td>{invoice.customer}</td>
              <td>{invoice.status}</td>
              <td className="text-right">${invoice.total.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
